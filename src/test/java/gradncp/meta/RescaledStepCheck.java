package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import gradncp.nn.Params;
import gradncp.tensor.Tensor;
import java.util.List;

/**
 * The GradNCP rescaled test step computed by hand, for any decoder: per signal, the full-context
 * gradient scaled by the ratio of the global norms of the pruned and the full gradients.
 */
final class RescaledStepCheck {
    private RescaledStepCheck() {}

    /**
     * Asserts got = start - lr * (||g_pruned|| / (||g_full|| + 1e-16)) * g_full for each of the 2
     * signals of the per-signal parameters start, and returns each signal's norm ratio.
     */
    static double[] assertGradncpRule(Params start, Params got, List<Tensor> gPruned, List<Tensor> gFull, double lr) {
        double[] hi = Params.globalNorm(gPruned).toDoubleArray();
        double[] full = Params.globalNorm(gFull).toDoubleArray();
        for (int i = 0; i < start.size(); i++) {
            double[] w = start.get(i).toDoubleArray();
            double[] g = gFull.get(i).toDoubleArray();
            int per = w.length / 2;
            double[] want = new double[w.length];
            for (int j = 0; j < w.length; j++) {
                int b = j / per;
                want[j] = w[j] - lr * hi[b] / (full[b] + 1e-16) * g[j];
            }
            assertArrayEquals(want, got.get(i).toDoubleArray(), 1e-12);
        }
        return new double[] {hi[0] / full[0], hi[1] / full[1]};
    }
}
