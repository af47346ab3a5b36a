package gradncp.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SsimTest {
    /** Same LCG as golden/ssim_values.py lcg_image. */
    static double[] lcgImage(int h, int w, int c, long seed) {
        double[] out = new double[h * w * c];
        long s = seed;
        for (int i = 0; i < out.length; i++) {
            s = s * 6364136223846793005L + 1442695040888963407L;
            out[i] = (s >>> 40) / (double) (1 << 24);
        }
        return out;
    }

    /** golden/ssim_values.py case(): a 2x2-box-blurred target and a noisy, shifted prediction. */
    static double[][] goldenCase(int h, int w, int c) {
        double[] n = lcgImage(h, w, c, 1), m = lcgImage(h, w, c, 2);
        double[] t = new double[n.length], p = new double[n.length];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                for (int k = 0; k < c; k++) {
                    int up = (i + h - 1) % h, left = (j + w - 1) % w;
                    int at = (i * w + j) * c + k;
                    t[at] = (n[at] + n[(up * w + j) * c + k] + n[(i * w + left) * c + k]
                            + n[(up * w + left) * c + k]) / 4;
                    p[at] = Math.min(1, Math.max(0, 0.8 * t[at] + 0.2 * m[at] + 0.05));
                }
            }
        }
        return new double[][] {p, t};
    }

    @Test
    void matchesNumpyReference() {
        double[][] a = goldenCase(24, 20, 3);
        assertEquals(0.8860648066390601, Ssim.of(a[0], a[1], 24, 20, 3), 1e-12);
        assertEquals(21.90328374671232, Psnr.of(a[0], a[1]), 1e-10);
        double[][] b = goldenCase(12, 12, 1);
        assertEquals(0.8759973178518898, Ssim.of(b[0], b[1], 12, 12, 1), 1e-12);
        double[][] d = goldenCase(8, 30, 1); // H shorter than the window: only W is filtered
        assertEquals(0.829215088644931, Ssim.of(d[0], d[1], 8, 30, 1), 1e-12);
    }

    @Test
    void identicalImagesGiveOne() {
        double[] x = lcgImage(16, 16, 3, 5);
        assertEquals(1.0, Ssim.of(x, x, 16, 16, 3), 1e-12);
    }

    @Test
    void dropsMonotonicallyWithNoise() {
        double[] t = goldenCase(32, 32, 3)[1];
        Random rng = new Random(3);
        double[] noise = new double[t.length];
        for (int i = 0; i < t.length; i++) noise[i] = rng.nextGaussian();
        double previous = 1.0;
        for (double sigma : new double[] {0.01, 0.03, 0.1, 0.3}) {
            float[] p = new float[t.length], tf = new float[t.length];
            for (int i = 0; i < t.length; i++) {
                p[i] = (float) (t[i] + sigma * noise[i]);
                tf[i] = (float) t[i];
            }
            double s = Ssim.of(p, tf, 32, 32, 3);
            assertTrue(s < previous, "sigma " + sigma + ": " + s + " >= " + previous);
            previous = s;
        }
    }

    @Test
    void gaussianWindowIsNormalisedAndSymmetric() {
        double[] g = Ssim.gaussian(Ssim.WINDOW, Ssim.SIGMA);
        assertEquals(1.0, java.util.Arrays.stream(g).sum(), 1e-15);
        assertEquals(g[0], g[10], 0.0);
        assertTrue(g[5] > g[4]);
    }

    @Test
    void sizeMismatchIsReported() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Ssim.of(new float[12], new float[12], 2, 2, 2));
        assertTrue(e.getMessage().contains("expected H*W*C = 2*2*2 = 8"), e.getMessage());
    }
}
