package gradncp.metrics;

/**
 * Peak signal-to-noise ratio with peak 1 (data range [0, 1]), per signal, as the GradNCP
 * reference evaluates it (ALGORITHM.md, Metrics; evals/gradient_based/maml_full_evaluate.py):
 * {@code PSNR = -10 log10(mean((clamp(pred, 0, 1) - target)^2) + 1e-24)}.
 *
 * <p>The mean runs over every element of the signal (H·W·C for an image). The 1e-24 keeps a
 * perfect reconstruction finite (240 dB) instead of infinite. Training logs use the same formula
 * on unclamped outputs: call {@link #fromMse} with the raw mean squared error for that.
 */
public final class Psnr {
    /** Added to the MSE so that a perfect reconstruction gives 240 dB, not infinity. */
    public static final double MSE_EPSILON = 1e-24;

    private Psnr() {}

    /** {@code -10 log10(mse + 1e-24)}. */
    public static double fromMse(double mse) {
        if (!(mse >= 0)) throw new IllegalArgumentException("mse must be >= 0, got " + mse);
        return -10.0 * Math.log10(mse + MSE_EPSILON);
    }

    /** PSNR of one signal; {@code pred} is clamped to [0, 1] first, {@code target} is not. */
    public static double of(float[] pred, float[] target) {
        checkLengths(pred.length, target.length);
        double sum = 0;
        for (int i = 0; i < pred.length; i++) {
            double d = clamp01(pred[i]) - target[i];
            sum += d * d;
        }
        return fromMse(sum / pred.length);
    }

    /** PSNR of one signal; {@code pred} is clamped to [0, 1] first, {@code target} is not. */
    public static double of(double[] pred, double[] target) {
        checkLengths(pred.length, target.length);
        double sum = 0;
        for (int i = 0; i < pred.length; i++) {
            double d = clamp01(pred[i]) - target[i];
            sum += d * d;
        }
        return fromMse(sum / pred.length);
    }

    static double clamp01(double v) {
        return v < 0 ? 0 : (v > 1 ? 1 : v);
    }

    private static void checkLengths(int p, int t) {
        if (p != t) {
            throw new IllegalArgumentException("pred has " + p + " values but target has " + t
                    + "; both must be the same signal shape");
        }
        if (p == 0) throw new IllegalArgumentException("PSNR of an empty signal is undefined");
    }
}
