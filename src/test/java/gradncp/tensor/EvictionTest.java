package gradncp.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The differentiable backward does not keep sin'(w0 z) g (an elementwise pass over tensors the
 * graph keeps anyway): it evicts it, and a later backward recomputes it, bit for bit.
 */
class EvictionTest {
    static Tensor randomF32(SplittableRandom r, double scale, int... dims) {
        return Tensor.uniform(DType.F32, r, -scale, scale, dims);
    }

    /** Every tensor of the graph below t whose op is a SinwGrad. */
    static List<Tensor> sinwGrads(Tensor t) {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Tensor> todo = new ArrayDeque<>(List.of(t));
        List<Tensor> out = new java.util.ArrayList<>();
        while (!todo.isEmpty()) {
            Tensor x = todo.pop();
            if (x == null || !seen.add(x) || x.op() == null) {
                continue;
            }
            if (x.op() instanceof LayerOps.SinwGrad) {
                out.add(x);
            }
            todo.addAll(List.of(x.op().inputs()));
        }
        return out;
    }

    @Test
    void anEvictedStorageComesBackWithTheSameBitsAndIsCountedAgain() {
        SplittableRandom r = new SplittableRandom(7);
        try (Memory.Scope scope = Memory.scope()) {
            Tensor g = randomF32(r, 1, 64, 48).param();
            Tensor z = randomF32(r, 1, 64, 48).param();
            Tensor delta = LayerOps.SinwGrad.apply(g, z, 30.0);
            float[] before = delta.toFloatArray();
            long live = Memory.liveBytes();
            long scoped = scope.liveBytes();
            Eviction.setRecomputable(delta.storage(), delta.op().remat());
            Eviction.evict(delta.storage());
            assertTrue(delta.storage().isEvicted());
            assertEquals(live - 64 * 48 * 4, Memory.liveBytes(), "eviction frees the bytes");
            assertEquals(scoped - 64 * 48 * 4, scope.liveBytes(), "and the owning scope counts them down");
            assertArrayEquals(before, delta.toFloatArray(), "recomputed values differ");
            assertFalse(delta.storage().isEvicted());
            assertEquals(live, Memory.liveBytes(), "the recomputed array is counted again");
            assertEquals(scoped, scope.liveBytes());
            Eviction.evict(delta.storage());
            delta.release();
            assertEquals(live - 64 * 48 * 4, Memory.liveBytes());
            assertThrows(IllegalStateException.class, delta::toFloatArray, "a released storage must not come back");
        }
    }

    @Test
    void storageThatIsNotRecomputableIsNeverEvicted() {
        try (Memory.Scope scope = Memory.scope()) {
            Tensor a = randomF32(new SplittableRandom(1), 1, 16, 16);
            long live = Memory.liveBytes();
            Eviction.evict(a.storage());
            assertEquals(live, Memory.liveBytes());
            assertEquals(16 * 16, a.toFloatArray().length);
        }
    }

    /**
     * Two SIREN layers: the differentiable gradient leaves both SinwGrad intermediates evicted;
     * a detached backward through the second layer's weight gradient (whose product reads its
     * SinwGrad output) recomputes them, matches float64 central finite differences, and evicts
     * them again when done.
     */
    @Test
    void secondOrderThroughEvictedIntermediates() {
        SplittableRandom r = new SplittableRandom(11);
        try (Memory.Scope scope = Memory.scope()) {
            Tensor x = Tensor.uniform(DType.F64, r, -1, 1, 40, 3);
            Tensor w1 = Tensor.uniform(DType.F64, r, -0.5, 0.5, 5, 3).param();
            Tensor b1 = Tensor.uniform(DType.F64, r, -0.5, 0.5, 5).param();
            Tensor w2 = Tensor.uniform(DType.F64, r, -0.5, 0.5, 4, 5).param();
            Tensor b2 = Tensor.uniform(DType.F64, r, -0.5, 0.5, 4).param();
            Tensor v = Tensor.uniform(DType.F64, r, -1, 1, 4, 5);
            // f(w1) = <dL/dw2, v>, L = sum(h2^2): its gradient differentiates w2's weight
            // gradient delta2^T h1 with respect to h1, which reads delta2.
            java.util.function.Function<Tensor, Tensor> f = w1t -> {
                Tensor h1 = x.linearSinw(w1t, b1, 2.0)[1];
                Tensor h2 = h1.linearSinw(w2, b2, 3.0)[1];
                List<Tensor> g = Autodiff.grad(h2.square().sum(), List.of(w1t, w2), Autodiff.Mode.DIFFERENTIABLE);
                return g.get(1).mul(v).sum();
            };
            Tensor fw = f.apply(w1);
            List<Tensor> deltas = sinwGrads(fw);
            assertEquals(1, deltas.size()); // delta2 (delta1 only feeds dL/dw1)
            for (Tensor d : deltas) {
                assertTrue(d.storage().isEvicted(), "the differentiable backward should evict sin'(z) g");
            }
            double[] got = Autodiff.grad(fw, w1, Autodiff.Mode.DETACHED).toDoubleArray();
            for (Tensor d : deltas) {
                assertTrue(d.storage().isEvicted(), "the detached backward should evict it again after use");
            }
            double eps = 1e-6;
            double[] wv = w1.toDoubleArray();
            for (int i = 0; i < wv.length; i++) {
                double[] wp = wv.clone();
                double[] wm = wv.clone();
                wp[i] += eps;
                wm[i] -= eps;
                double fp = f.apply(Tensor.of(wp, 5, 3).param()).item();
                double fm = f.apply(Tensor.of(wm, 5, 3).param()).item();
                double fd = (fp - fm) / (2 * eps);
                assertEquals(fd, got[i], 1e-6 * Math.max(1, Math.abs(fd)), "d<dL/dw2, v>/dw1 entry " + i);
            }
        }
    }
}
