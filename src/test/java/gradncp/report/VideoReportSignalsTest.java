package gradncp.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import gradncp.data.VideoSet;
import gradncp.data.VideoSignals;
import gradncp.nn.Batch;
import gradncp.nn.NervSpec;
import gradncp.nn.Params;
import gradncp.nn.SirenSpec;
import gradncp.run.Evaluator;
import gradncp.tensor.DType;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Video report signals: elements per decoder, the frame detail rule, frame sheets, per-frame gradients. */
class VideoReportSignalsTest {
    static final int T = 4;
    static final int S = 8;
    /** A NeRV of 4 frames of 8 x 8 (base 4, one stride-2 block). */
    static final NervSpec NERV = new NervSpec(T, 2, 8, 4, new int[] {2}, new int[] {4, 4});

    /**
     * Frames at 0.5, except frame 2: vertical stripes 2 px wide at 0.75 and 0.25 (the only frame with
     * spatial detail; values exact in binary so that equal gradients compare equal). RGB for NeRV.
     */
    static VideoSignals clip(boolean rgb) {
        float[] v = new float[T * S * S];
        Arrays.fill(v, 0.5f);
        for (int p = 0; p < S * S; p++) {
            v[2 * S * S + p] = (p % S / 2) % 2 == 0 ? 0.75f : 0.25f;
        }
        VideoSet grey = new VideoSet(new float[][] {v}, T, S, S, 1, List.of("c"));
        return new VideoSignals(rgb ? VideoSignals.toRgb(grey) : grey);
    }

    @Test
    void nervElementsAreFramesAndTheDetailFrameIsTheTexturedOne() {
        VideoReportSignals s = new VideoReportSignals(clip(true), NERV);
        assertEquals(T, s.elements());
        assertEquals("frame", s.elementName());
        // energies (mean |g|^2): frame 2 0.75 * 0.25^2 (stripes: 6 of 8 columns), frames 1 and 3 0.125^2
        // (time difference 0.25 / 2), frame 0 none; the 75th percentile of four is the third smallest
        assertArrayEquals(new boolean[] {false, false, true, false}, s.detail(0));
    }

    @Test
    void sirenElementsArePointsWithDetailOnTheTexture() {
        VideoReportSignals s = new VideoReportSignals(clip(false), new SirenSpec(3, 8, 2, 1, 30));
        assertEquals(T * S * S, s.elements());
        boolean[] d = s.detail(0);
        int inFrame2 = 0;
        int total = 0;
        for (int p = 0; p < d.length; p++) {
            total += d[p] ? 1 : 0;
            inFrame2 += d[p] && p / (S * S) == 2 ? 1 : 0;
        }
        // |g| = 0.25 on 48 points of frame 2 and 0.125 on frames 1 and 3: the 75th percentile is 0.125
        assertEquals(48, inFrame2);
        assertEquals(48, total, "every detail point lies in the textured frame");
    }

    @Test
    void pictureIsASheetOfFramesAndFrameHeatFillsEachFrame() {
        VideoReportSignals s = new VideoReportSignals(clip(true), NERV);
        BufferedImage pic = s.picture(clip(true).values(0));
        int step = S + VideoReportSignals.GAP;
        assertEquals(2, s.sheetColumns(), "4 frames as 2 x 2");
        assertEquals(2 * step - VideoReportSignals.GAP, pic.getWidth());
        assertEquals(2 * step - VideoReportSignals.GAP, pic.getHeight());
        assertEquals(0x808080, pic.getRGB(0, 0) & 0xffffff); // frame 0, grey 0.5
        int y2 = step; // frame 2 starts the second row
        assertEquals(0xbfbfbf, pic.getRGB(0, y2) & 0xffffff); // frame 2, stripe 0.75
        assertEquals(0x404040, pic.getRGB(2, y2) & 0xffffff); // frame 2, stripe 0.25
        BufferedImage heat = s.heatMap(new double[] {0, 0, 1, 0}, 1);
        for (int y = 0; y < S; y++) {
            for (int x = 0; x < S; x++) {
                assertEquals(Pictures.heatColour(1), heat.getRGB(x, y2 + y) & 0xffffff);
                assertEquals(Pictures.heatColour(0), heat.getRGB(x, y) & 0xffffff);
            }
        }
        // a kept frame is drawn as the target, a dropped one dimmed
        BufferedImage kept = s.keptOverlay(clip(true).values(0), new int[] {2});
        assertEquals(pic.getRGB(1, y2 + 3), kept.getRGB(1, y2 + 3));
        assertNotEquals(pic.getRGB(1, 3), kept.getRGB(1, 3));
    }

    @Test
    void perFrameGradientNormMatchesOneFrameContext() {
        VideoSignals set = clip(true);
        Params theta = NERV.init(3, DType.F64);
        Batch batch = Evaluator.batchOf(set, NERV, DType.F64);
        int[] frames = {0, 2, 3};
        double[] perFrame = Trajectory.pointGradNorms(NERV, theta, batch, frames);
        for (int j = 0; j < frames.length; j++) {
            // the context loss is a mean over the frame's H W 3 values: its gradient is that part of the summed one
            double[] ctx = Trajectory.gradNorms(NERV, theta.perSignal(1), batch, new int[][] {{frames[j]}});
            assertEquals(perFrame[j] / (S * S * 3), ctx[0], 1e-9 * ctx[0]);
        }
    }
}
