package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.meta.InnerLoop.Graph;
import gradncp.nn.Nerv;
import gradncp.nn.NervSpec;
import gradncp.nn.Params;
import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Second-order MAML over frames on a tiny NeRV (2 signals, 4 frames, 2 pruned steps keeping 2
 * frames each): the analytic meta-gradient against float64 central differences of the whole
 * meta-loss in every one of the 888 parameters.
 */
class NervMetaGradientTest {
    static final NervSpec TINY = new NervSpec(4, 3, 8, 2, new int[] {2, 2}, new int[] {2, 4, 3});
    private static final double EPS = 1e-6;
    private static final double LR = 1.0;

    private static Tensor video() {
        return Tensor.uniform(DType.F64, new SplittableRandom(21), 0, 1, 2, 4, 3, 8, 8);
    }

    private static double[] metaGradient(Params theta, Graph graph) {
        Params leaves = theta.param();
        Tensor loss = NervInnerLoop.metaLoss(TINY, leaves, video(), 2, LR, 0.5, graph);
        return MetaGradCheck.flat(Autodiff.grad(loss, leaves.tensors(), Autodiff.Mode.DETACHED).stream()
                .map(Tensor::toDoubleArray).toList());
    }

    private static double[] numeric(Params theta) {
        double[] base = MetaGradCheck.flat(theta.tensors().stream().map(Tensor::toDoubleArray).toList());
        double[] g = new double[base.length];
        for (int j = 0; j < base.length; j++) {
            g[j] = (lossAt(theta, base, j, EPS) - lossAt(theta, base, j, -EPS)) / (2 * EPS);
        }
        return g;
    }

    private static double lossAt(Params theta, double[] base, int j, double step) {
        List<Tensor> ts = new ArrayList<>();
        int o = 0;
        for (Tensor t : theta.tensors()) {
            double[] v = java.util.Arrays.copyOfRange(base, o, o + t.size());
            if (j >= o && j < o + t.size()) {
                v[j - o] += step;
            }
            ts.add(Tensor.of(v, t.shape().dims()));
            o += t.size();
        }
        return NervInnerLoop.metaLoss(TINY, new Params(ts), video(), 2, LR, 0.5, Graph.NONE).item();
    }

    @Test
    void secondOrderMetaGradientMatchesFiniteDifferences() {
        Params theta = Nerv.init(TINY, 8, DType.F64);
        double[] numeric = numeric(theta);
        double err = MetaGradCheck.relative(metaGradient(theta, Graph.SECOND_ORDER), numeric);
        double firstOrder = MetaGradCheck.relative(metaGradient(theta, Graph.FIRST_ORDER), numeric);
        System.out.printf("NeRV meta-gradient rel err: second order %.2e, first order %.2e%n", err, firstOrder);
        assertTrue(err < 1e-6, "second-order meta-gradient rel err " + err);
        assertTrue(firstOrder > 1e-3, "first-order should differ from the exact meta-gradient, rel err " + firstOrder);
    }
}
