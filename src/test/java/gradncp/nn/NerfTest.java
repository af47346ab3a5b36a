package gradncp.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.GradCheck;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The NeRF renderer on a tiny network (depth 3, width 4, 6 samples, one frequency, view
 * directions on): float64 finite-difference checks of the rendered loss at orders 1 and 2, the
 * compositing against its closed form for a constant field, and the GradNCP ray score against the
 * autodiff norm of each ray's last-layer gradient.
 */
class NerfTest {
    static final NerfSpec TINY = new NerfSpec(4, 3, 6, 1, 1, true);

    /** n rays from around (0, 0, 3) towards the origin, near 1, far 5, directions not unit length. */
    static Tensor rays(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] out = new double[n * 8];
        for (int i = 0; i < n; i++) {
            double[] o = {r.nextDouble(-0.3, 0.3), r.nextDouble(-0.3, 0.3), 3};
            double[] d = {r.nextDouble(-0.4, 0.4) - o[0] / 3, r.nextDouble(-0.4, 0.4) - o[1] / 3, -r.nextDouble(0.8, 1.3)};
            System.arraycopy(o, 0, out, 8 * i, 3);
            System.arraycopy(d, 0, out, 8 * i + 3, 3);
            out[8 * i + 6] = 1;
            out[8 * i + 7] = 5;
        }
        return Tensor.of(out, n, 8);
    }

    private static double gradcheck(NerfSpec spec, int order) {
        Tensor rays = rays(5, 1);
        Tensor y = Tensor.uniform(DType.F64, new SplittableRandom(2), 0, 1, 5, 3);
        Params p = Nerf.init(spec, 3, DType.F64);
        List<double[]> values = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (Tensor t : p.tensors()) {
            values.add(t.toDoubleArray());
            shapes.add(t.shape().dims());
        }
        GradCheck.Fn f = xs -> Nerf.render(spec, new Params(xs), rays).sub(y).square().sum();
        return GradCheck.relativeError(f, values, shapes, order, 4);
    }

    @Test
    void renderedLossPassesFiniteDifferencesAtOrdersOneAndTwo() {
        for (NerfSpec spec : List.of(TINY, new NerfSpec(4, 2, 5, 2, 0, false))) {
            double e1 = gradcheck(spec, 1);
            double e2 = gradcheck(spec, 2);
            assertTrue(e1 < 1e-6, spec + " order 1 rel err " + e1);
            assertTrue(e2 < 1e-6, spec + " order 2 rel err " + e2);
        }
    }

    /** A last layer of zero weights: every sample has the same colour c and density sigma. */
    @Test
    void constantFieldCompositesToItsClosedForm() {
        for (boolean white : new boolean[] {true, false}) {
            NerfSpec spec = new NerfSpec(4, 2, 8, 1, 0, white);
            List<Tensor> ts = new ArrayList<>(Nerf.init(spec, 5, DType.F64).tensors());
            ts.set(2, Tensor.zeros(DType.F64, 4, 4));
            ts.set(3, Tensor.of(new double[] {0.3, -1.0, 2.0, -0.5}, 4));
            Tensor rays = rays(3, 6);
            double[] got = Nerf.render(spec, new Params(ts), rays).toDoubleArray();
            double[] r = rays.toDoubleArray();
            double sigma = Math.log1p(Math.exp(-0.5));
            double[] c = {sig(0.3), sig(-1.0), sig(2.0)};
            for (int i = 0; i < 3; i++) {
                double len = Math.sqrt(r[8 * i + 3] * r[8 * i + 3] + r[8 * i + 4] * r[8 * i + 4]
                        + r[8 * i + 5] * r[8 * i + 5]);
                double trans = Math.exp(-sigma * 4 * len); // (far - near) |d|
                for (int a = 0; a < 3; a++) {
                    assertEquals(c[a] * (1 - trans) + (white ? trans : 0), got[3 * i + a], 1e-12);
                }
            }
        }
    }

    private static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    /**
     * For each ray of each of 2 signals, the squared norm of grad_{W_L, b_L} ||C - y||^2 by autodiff
     * equals 4 times the score (the score drops the factor 2 of the derivative of the square).
     */
    @Test
    void rayScoreIsTheNormOfTheLastLayerGradient() {
        int n = 4;
        Params p = Nerf.init(TINY, 7, DType.F64).perSignal(2);
        // perturb per signal so that the two signals differ
        Params q = Autodiff.noGrad(() -> p.map(t -> t.add(Tensor.uniform(DType.F64, new SplittableRandom(8), -0.3, 0.3,
                t.shape().dims()))));
        Tensor y = Tensor.uniform(DType.F64, new SplittableRandom(9), 0, 1, 2, n, 3);
        Batch batch = new Batch(rays(n, 10), y);
        double[] score = TINY.scores(q, batch, Elements.all(n), true).toDoubleArray();
        double[] err = TINY.scores(q, batch, Elements.all(n), false).toDoubleArray();
        int last = 2 * (TINY.depth() - 1);
        for (int i = 0; i < n; i++) {
            int[][] one = {{i}, {i}};
            Params leaf = q.detach().param();
            Tensor loss = TINY.forward(leaf, batch, Elements.of(one, n)).sub(batch.targets(Elements.of(one, n)))
                    .square().sum(false, 1, 2); // [2]
            double[] e = loss.detach().toDoubleArray();
            for (int b = 0; b < 2; b++) {
                Tensor lb = loss.slice(0, b, 1).sum();
                List<Tensor> g = Autodiff.grad(lb, List.of(leaf.get(last), leaf.get(last + 1)), Autodiff.Mode.DETACHED);
                double norm2 = 0;
                for (Tensor t : g) {
                    for (double v : t.toDoubleArray()) {
                        norm2 += v * v;
                    }
                }
                double s = score[b * n + i];
                assertEquals(norm2, 4 * s, 1e-6 * norm2, "ray " + i + " signal " + b);
                assertEquals(e[b], err[b * n + i], 1e-6 * e[b], "error-only score, ray " + i + " signal " + b);
            }
        }
    }
}
