package gradncp.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The lazily summed gradient contributions of the detached backward: the fused float32 pass and
 * the float64 loop against the same sum written with plain tensor ops in float64.
 */
class GradTermsTest {
    private static final double W0 = 30.0;

    /** Sum of one term of each kind (the product twice, as NT and TT), in dtype, from float64 operands. */
    private static Tensor fused(DType dt, Tensor t, Tensor v, Tensor a, Tensor b, Tensor z, Tensor x,
            Tensor y, Shape target) {
        Tensor vt = v.to(dt);
        int[] keep = target.dims();
        keep[1] = 1;
        List<GradTerms.Term> terms = List.of(
                new GradTerms.Dense(t.to(dt)),
                new GradTerms.Broadcast(vt, Ops.broadcastStrides(Shape.of(keep), target)),
                new GradTerms.Cos(a.to(dt), z.to(dt), W0),
                new GradTerms.Sin(a.to(dt), b.to(dt), z.to(dt), W0),
                GradTerms.product(x.to(dt), y.to(dt), false, true, target),
                GradTerms.product(x.permute(0, 2, 1).to(dt), y.to(dt), true, true, target));
        return Autodiff.noGrad(() -> GradTerms.sum(terms, target, dt));
    }

    @Test
    void everyTermKindSumsToThePlainOps() {
        SplittableRandom rng = new SplittableRandom(7);
        // 37 columns: not a multiple of the vector length, so the scalar tails run too
        int batch = 3, rows = 130, cols = 37, k = 9;
        Shape target = Shape.of(batch, rows, cols);
        Tensor t = Tensor.uniform(DType.F64, rng, -1, 1, batch, rows, cols);
        Tensor v = Tensor.uniform(DType.F64, rng, -1, 1, batch, cols);
        Tensor a = Tensor.uniform(DType.F64, rng, -1, 1, batch, rows, cols);
        Tensor b = Tensor.uniform(DType.F64, rng, -1, 1, batch, rows, cols);
        Tensor z = Tensor.uniform(DType.F64, rng, -1, 1, batch, rows, cols);
        Tensor x = Tensor.uniform(DType.F64, rng, -1, 1, batch, rows, k);
        Tensor y = Tensor.uniform(DType.F64, rng, -1, 1, batch, cols, k);
        Tensor expected = Autodiff.noGrad(() -> t
                .add(v.reshape(batch, 1, cols).expand(batch, rows, cols))
                .add(a.scale(W0).mul(z.scale(W0).cos()))
                .add(a.mul(b).mul(z.sinw(W0)).scale(-W0 * W0))
                .add(x.matmul(y, false, true).scale(2)));
        double[] want = expected.toDoubleArray();
        double[] got64 = fused(DType.F64, t, v, a, b, z, x, y, target).toDoubleArray();
        double[] got32 = fused(DType.F32, t, v, a, b, z, x, y, target).toDoubleArray();
        double scale = 0;
        for (double w : want) {
            scale = Math.max(scale, Math.abs(w));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got64[i], 1e-9 * scale, "float64 element " + i);
            assertEquals(want[i], got32[i], 2e-5 * scale, "float32 element " + i);
        }
    }

    @Test
    void aBatchedProductIntoAnUnbatchedGradientSumsTheBatch() {
        SplittableRandom rng = new SplittableRandom(11);
        Tensor g = Tensor.uniform(DType.F32, rng, -1, 1, 4, 50, 6);
        Tensor x = Tensor.uniform(DType.F32, rng, -1, 1, 50, 5);
        Shape target = Shape.of(6, 5); // a shared weight's gradient: sum_b g_b^T x
        GradTerms.Term term = GradTerms.product(g, x, true, false, target);
        assertEquals(GradTerms.Product.class, term.getClass());
        double[] got = Autodiff.noGrad(() -> GradTerms.sum(List.of(term, new GradTerms.Dense(
                Tensor.full(DType.F32, 0.5, 6, 5))), target, DType.F32)).toDoubleArray();
        double[] want = Autodiff.noGrad(() -> g.matmul(x, true, false).sumTo(target).addScalar(0.5))
                .toDoubleArray();
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], 1e-4, "element " + i);
        }
    }
    @Test
    void linearSinwAgreesWithLinearThenSinwInAndOutOfTheGraph() {
        SplittableRandom rng = new SplittableRandom(5);
        for (DType dt : DType.values()) {
            Tensor x = Tensor.uniform(dt, rng, -1, 1, 2, 45, 19);
            Tensor w = Tensor.uniform(dt, rng, -0.3, 0.3, 2, 70, 19).param();
            Tensor b = Tensor.uniform(dt, rng, -0.3, 0.3, 70).param();
            double[] want = Autodiff.noGrad(() -> x.linear(w, b).sinw(W0)).toDoubleArray();
            Tensor[] graph = x.linearSinw(w, b, W0);
            Tensor[] inPlace = Autodiff.noGrad(() -> x.linearSinw(w, b, W0));
            org.junit.jupiter.api.Assertions.assertNull(inPlace[0], "no z outside the graph");
            org.junit.jupiter.api.Assertions.assertTrue(graph[1].requiresGrad(), "sin output is a graph node");
            double tol = dt == DType.F32 ? 2e-5 : 1e-12;
            double[] g = graph[1].toDoubleArray(), p = inPlace[1].toDoubleArray();
            double[] z = graph[0].toDoubleArray(), zWant = Autodiff.noGrad(() -> x.linear(w, b)).toDoubleArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], g[i], tol, dt + " graph sin " + i);
                assertEquals(want[i], p[i], tol, dt + " in-place sin " + i);
                assertEquals(zWant[i], z[i], tol, dt + " z " + i);
            }
        }
    }
}
