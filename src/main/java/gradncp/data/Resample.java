package gradncp.data;

/**
 * Band-limited sample-rate conversion of a waveform by windowed-sinc interpolation (the method
 * of Smith's "Digital Audio Resampling" and of torchaudio's {@code resample}).
 *
 * <p>Output sample j sits at input time t = j * from / to and is sum_k x[k] h(t - k) with
 * h(d) = fc sinc(fc d) w(d / W): an ideal low-pass at {@code fc} = {@value #ROLLOFF} x the lower
 * of the two Nyquist frequencies (as a fraction of the input Nyquist), cut to
 * {@value #ZERO_CROSSINGS} zero crossings on each side (half-width W = zeroCrossings / fc input
 * samples) by a Kaiser window with beta = {@value #KAISER_BETA} (about 80 dB stop-band
 * attenuation). Frequencies above the new Nyquist are therefore removed before decimation
 * instead of folding back (aliasing); frequencies below about 0.9 x the new Nyquist pass with
 * unit gain. The taps of each output phase are renormalised to sum to 1 (exact DC gain).
 * Samples outside the signal count as 0, as in torchaudio, so the first and last ~W samples
 * fade slightly. The output has ceil(n * to / from) samples. Phases repeat with period
 * to / gcd(from, to), so their taps are computed once when that period is small.
 */
public final class Resample {
    /** Cut-off as a fraction of the lower Nyquist frequency. */
    public static final double ROLLOFF = 0.94;
    /** Zero crossings of the sinc kept on each side of the centre. */
    public static final int ZERO_CROSSINGS = 32;
    /** Kaiser window shape parameter. */
    public static final double KAISER_BETA = 8.6;

    private static final int MAX_CACHED_PHASES = 4096;

    private Resample() {}

    /** {@code x} sampled at {@code from} Hz, resampled to {@code to} Hz (a copy if equal). */
    public static float[] resample(float[] x, int from, int to) {
        if (from < 1 || to < 1) {
            throw new IllegalArgumentException("sample rates must be >= 1 Hz, got " + from + " -> " + to);
        }
        if (from == to) return x.clone();
        long g = gcd(from, to);
        int up = (int) (to / g), down = (int) (from / g);
        double fc = ROLLOFF * Math.min(1.0, (double) to / from);
        double halfWidth = ZERO_CROSSINGS / fc;
        int k = (int) Math.ceil(halfWidth) + 1; // taps run over offsets -k+1 .. k
        long outLen = ((long) x.length * up + down - 1) / down;
        if (outLen > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("resampled signal too long: " + outLen + " samples");
        }
        double[][] cache = up <= MAX_CACHED_PHASES ? new double[up][] : null;
        float[] out = new float[(int) outLen];
        for (int j = 0; j < out.length; j++) {
            long pos = (long) j * down;
            int base = (int) (pos / up), phase = (int) (pos % up);
            double[] taps = cache == null ? null : cache[phase];
            if (taps == null) {
                taps = taps((double) phase / up, k, fc, halfWidth);
                if (cache != null) cache[phase] = taps;
            }
            double s = 0;
            int first = base - k + 1;
            int lo = Math.max(0, -first), hi = Math.min(taps.length, x.length - first);
            for (int t = lo; t < hi; t++) s += taps[t] * x[first + t];
            out[j] = (float) s;
        }
        return out;
    }

    /** Taps for input samples base-k+1 .. base+k when the output sits at base + frac. */
    private static double[] taps(double frac, int k, double fc, double halfWidth) {
        double[] h = new double[2 * k];
        double sum = 0;
        for (int t = 0; t < h.length; t++) {
            double d = frac - (t - k + 1); // output time minus input sample time
            double u = d / halfWidth;
            if (Math.abs(u) >= 1) continue;
            double x = Math.PI * fc * d;
            double sinc = Math.abs(x) < 1e-12 ? 1 : Math.sin(x) / x;
            h[t] = fc * sinc * besselI0(KAISER_BETA * Math.sqrt(1 - u * u)) / besselI0(KAISER_BETA);
            sum += h[t];
        }
        for (int t = 0; t < h.length; t++) h[t] /= sum;
        return h;
    }

    /** Modified Bessel function of the first kind, order 0 (power series, converges fast here). */
    static double besselI0(double x) {
        double term = 1, sum = 1, q = x * x / 4;
        for (int m = 1; m < 200 && term > 1e-17 * sum; m++) {
            term *= q / ((double) m * m);
            sum += term;
        }
        return sum;
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a;
    }
}
