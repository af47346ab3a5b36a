package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import gradncp.config.MetaConfig.Selection;
import gradncp.nn.Batch;
import gradncp.nn.Nerv;
import gradncp.nn.NervSpec;
import gradncp.nn.Params;
import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** NeRV frame pruning through the one context selection: the decoder's score and the frames it keeps. */
class NervContextTest {
    static final NervSpec TINY = new NervSpec(4, 3, 8, 2, new int[] {2, 2}, new int[] {2, 4, 3});

    /** The network's own frames [B, T, 3, H, W], with uniform noise of the given amplitude on the listed frames. */
    private static Tensor perturbed(Params p, int[][] noisy, double amplitude) {
        double[] v = Autodiff.noGrad(() -> Nerv.forward(TINY, p, null)).toDoubleArray();
        SplittableRandom r = new SplittableRandom(3);
        int frame = 3 * 64;
        for (int b = 0; b < noisy.length; b++) {
            for (int t : noisy[b]) {
                for (int i = 0; i < frame; i++) {
                    v[(b * 4 + t) * frame + i] += amplitude * r.nextDouble(-1, 1);
                }
            }
        }
        return Tensor.of(v, 2, 4, 3, 8, 8);
    }

    /** A batch of channel-first videos in the decoder's layout: frames as elements, channels last. */
    private static Batch batch(Tensor channelFirst) {
        return new Batch(null, Autodiff.noGrad(() -> channelFirst.permute(0, 1, 3, 4, 2)));
    }

    private static int[][] select(Params p, Tensor video, double ratio) {
        return Context.select(TINY, p, batch(video), Selection.GRADNCP, ratio, new SplittableRandom(0));
    }

    @Test
    void keepsTheFramesWithLargerError() {
        Params p = Nerv.init(TINY, 2, DType.F64).perSignal(2);
        Tensor video = perturbed(p, new int[][] {{1, 3}, {0, 2}}, 0.1);
        int[][] kept = select(p, video, 0.5);
        assertArrayEquals(new int[] {1, 3}, kept[0]);
        assertArrayEquals(new int[] {0, 2}, kept[1]);
    }

    @Test
    void scoreIsWeightedErrorNormTimesFeatureNorm() {
        Params p = Nerv.init(TINY, 4, DType.F64).perSignal(2);
        Tensor video = perturbed(p, new int[][] {{0, 1, 2, 3}, {0, 1, 2, 3}}, 0.3);
        Nerv.Features f = Nerv.features(TINY, p, null);
        double[] y = video.toDoubleArray();
        double[] out = f.frames().toDoubleArray();
        double[] z = f.z().toDoubleArray();
        double[] phi = f.feature().toDoubleArray();
        float[] score = Context.scores(TINY, p, batch(video), true);
        float[] error = Context.scores(TINY, p, batch(video), false);
        int px = 3 * 64;
        int fx = 3 * 64; // the tiny head input has 3 channels of 8x8
        for (int bt = 0; bt < 8; bt++) {
            double e = 0;
            double plain = 0;
            double g = 0;
            for (int i = bt * px; i < (bt + 1) * px; i++) {
                double slope = 1 - Math.tanh(z[i]) * Math.tanh(z[i]);
                e += Math.pow((y[i] - out[i]) * slope, 2);
                plain += Math.pow(y[i] - out[i], 2);
            }
            for (int i = bt * fx; i < (bt + 1) * fx; i++) {
                g += phi[i] * phi[i];
            }
            assertEquals(Math.sqrt(e) * Math.sqrt(g), score[bt], 1e-6 * score[bt]);
            assertEquals(Math.sqrt(plain), error[bt], 1e-6 * error[bt]);
        }
    }

    @Test
    void fullRatioKeepsEveryFrame() {
        Params p = Nerv.init(TINY, 5, DType.F64).perSignal(2);
        assertNull(select(p, perturbed(p, new int[][] {{0}, {1}}, 0.1), 1.0));
        assertEquals(1, select(p, perturbed(p, new int[][] {{0}, {1}}, 0.1), 0.3)[0].length);
    }
}
