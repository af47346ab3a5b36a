package gradncp.metrics;

/**
 * Structural similarity (Wang, Bovik, Sheikh and Simoncelli, "Image quality assessment: from
 * error visibility to structural similarity", IEEE TIP 13(4), 2004), computed exactly as
 * {@code pytorch_msssim.ssim(pred, target, data_range=1.0)} with the library defaults, which is
 * what the GradNCP reference reports (ALGORITHM.md, Metrics).
 *
 * <p>Per channel: local means, variances and covariance come from a normalised 11-tap Gaussian
 * (sigma 1.5) applied separably along H then W with no padding ("valid"), so the SSIM map is
 * (H-10) x (W-10). As in the library, a spatial dimension shorter than the window is left
 * unfiltered. The result is the mean of the map over positions and channels. Images are
 * channel-last {@code [H*W*C]}; the prediction is clamped to [0, 1] first, as the evaluation
 * does. Computed in double (the library runs in float32, so values agree to about 1e-6).
 */
public final class Ssim {
    /** Gaussian window size of pytorch_msssim (and Wang et al. 2004). */
    public static final int WINDOW = 11;
    /** Gaussian window standard deviation. */
    public static final double SIGMA = 1.5;
    /** Luminance stabiliser constant, C1 = (K1 * dataRange)^2. */
    public static final double K1 = 0.01;
    /** Contrast stabiliser constant, C2 = (K2 * dataRange)^2. */
    public static final double K2 = 0.03;
    /** Images are in [0, 1]. */
    public static final double DATA_RANGE = 1.0;

    private static final double[] KERNEL = gaussian(WINDOW, SIGMA);

    private Ssim() {}

    /** SSIM of {@code pred} (clamped to [0,1]) against {@code target}, both [H*W*C]. */
    public static double of(float[] pred, float[] target, int h, int w, int c) {
        check(pred.length, target.length, h, w, c);
        double[] p = new double[pred.length], t = new double[target.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = Psnr.clamp01(pred[i]);
            t[i] = target[i];
        }
        return compute(p, t, h, w, c);
    }

    /** SSIM of {@code pred} (clamped to [0,1]) against {@code target}, both [H*W*C]. */
    public static double of(double[] pred, double[] target, int h, int w, int c) {
        check(pred.length, target.length, h, w, c);
        double[] p = new double[pred.length];
        for (int i = 0; i < p.length; i++) p[i] = Psnr.clamp01(pred[i]);
        return compute(p, target, h, w, c);
    }

    private static double compute(double[] x, double[] y, int h, int w, int c) {
        double c1 = (K1 * DATA_RANGE) * (K1 * DATA_RANGE), c2 = (K2 * DATA_RANGE) * (K2 * DATA_RANGE);
        int n = h * w;
        double total = 0;
        double[] a = new double[n], b = new double[n], aa = new double[n], bb = new double[n],
                ab = new double[n];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < n; i++) {
                a[i] = x[i * c + ch];
                b[i] = y[i * c + ch];
                aa[i] = a[i] * a[i];
                bb[i] = b[i] * b[i];
                ab[i] = a[i] * b[i];
            }
            double[] mu1 = filter(a, h, w), mu2 = filter(b, h, w);
            double[] e11 = filter(aa, h, w), e22 = filter(bb, h, w), e12 = filter(ab, h, w);
            double sum = 0;
            for (int i = 0; i < mu1.length; i++) {
                double m11 = mu1[i] * mu1[i], m22 = mu2[i] * mu2[i], m12 = mu1[i] * mu2[i];
                double cs = (2 * (e12[i] - m12) + c2) / ((e11[i] - m11) + (e22[i] - m22) + c2);
                sum += (2 * m12 + c1) / (m11 + m22 + c1) * cs;
            }
            total += sum / mu1.length;
        }
        return total / c;
    }

    /** Valid separable Gaussian filtering of one [h, w] plane; short dimensions are skipped. */
    private static double[] filter(double[] img, int h, int w) {
        int oh = h >= WINDOW ? h - WINDOW + 1 : h;
        double[] tmp = new double[oh * w];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < w; j++) {
                if (h < WINDOW) {
                    tmp[i * w + j] = img[i * w + j];
                    continue;
                }
                double s = 0;
                for (int k = 0; k < WINDOW; k++) s += KERNEL[k] * img[(i + k) * w + j];
                tmp[i * w + j] = s;
            }
        }
        if (w < WINDOW) return tmp;
        int ow = w - WINDOW + 1;
        double[] out = new double[oh * ow];
        for (int i = 0; i < oh; i++) {
            for (int j = 0; j < ow; j++) {
                double s = 0;
                for (int k = 0; k < WINDOW; k++) s += KERNEL[k] * tmp[i * w + j + k];
                out[i * ow + j] = s;
            }
        }
        return out;
    }

    static double[] gaussian(int size, double sigma) {
        double[] g = new double[size];
        double sum = 0;
        for (int i = 0; i < size; i++) {
            double x = i - size / 2;
            g[i] = Math.exp(-(x * x) / (2 * sigma * sigma));
            sum += g[i];
        }
        for (int i = 0; i < size; i++) g[i] /= sum;
        return g;
    }

    private static void check(int p, int t, int h, int w, int c) {
        if (h < 1 || w < 1 || c < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + h + "x" + w
                    + "x" + c);
        }
        if (p != (long) h * w * c || t != p) {
            throw new IllegalArgumentException("pred has " + p + " and target " + t
                    + " values, expected H*W*C = " + h + "*" + w + "*" + c + " = " + (long) h * w * c);
        }
    }
}
