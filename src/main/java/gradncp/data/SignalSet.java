package gradncp.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Signals of one modality on one shared coordinate grid: what meta-training, evaluation and
 * fitting need, whatever the signal is (ALGORITHM.md, Notation and Coordinates). Point i of every
 * signal has the coordinate {@code coords()[i*inDim .. i*inDim + inDim - 1]} and the values
 * {@code values(s)[i*channels .. i*channels + channels - 1]} in [0, 1].
 *
 * <p>Implementations: {@link ImageSignals} (2 -> 1|3), {@link AudioSignals} (1 -> 1),
 * {@link VideoSignals} (3 -> 1|3), {@link SphereSignals} (3 -> 1). Each also knows its metric
 * beyond PSNR ({@link #ssim}, NaN where none is defined) and how to write a signal to files.
 */
public interface SignalSet {
    /** Number of signals. */
    int size();

    /** Coordinate dimension (the SIREN's inDim). */
    int inDim();

    /** Values per point (the SIREN's outDim). */
    int channels();

    /** Points per signal, N. */
    int points();

    /** The shared coordinates, [N * inDim] row-major (treat as read-only). */
    double[] coords();

    /** Signal i, [N * channels] channel-last in [0, 1] (treat as read-only). */
    float[] values(int i);

    /** Where each signal came from, for messages and output names. */
    List<String> names();

    /** The signals at {@code indices}, in that order. */
    SignalSet subset(int[] indices);

    /** A set of the same kind with no signals, on the grid of another size (see each class). */
    SignalSet resampled(int size);

    /**
     * SSIM of a prediction against a target of this grid (images; video: mean over frames), or
     * NaN for modalities without one (audio, sphere: PSNR only; ALGORITHM.md, Metrics).
     */
    default double ssim(float[] pred, float[] target) {
        return Double.NaN;
    }

    /** Whether {@link #ssim} is defined (images and video). */
    default boolean hasSsim() {
        return false;
    }

    /** Writes one signal on this grid (values [N * channels] in [0, 1]) as DIR/STEM.*; returns the files. */
    List<Path> write(Path dir, String stem, float[] values) throws IOException;

    /** Extra checkpoint metadata needed to read predictions back (e.g. the sphere's min-max constants). */
    default Map<String, String> metadata() {
        return Map.of();
    }

    /** A one-line description, e.g. "12 fields on a 73x144 lat/lon grid". */
    String describe();

    /** The first {@code n} signals (all if n >= size). */
    default SignalSet head(int n) {
        int[] idx = new int[Math.min(n, size())];
        Arrays.setAll(idx, i -> i);
        return subset(idx);
    }

    /** All signals stacked, [S * N * channels]. */
    default float[] flat() {
        int per = points() * channels();
        float[] out = new float[size() * per];
        for (int i = 0; i < size(); i++) System.arraycopy(values(i), 0, out, i * per, per);
        return out;
    }

    /** A seeded train/test split, as {@link Split} does for images: {test, train}. */
    static SignalSet[] split(SignalSet all, int testCount, long seed) {
        if (testCount < 0 || testCount >= all.size()) {
            throw new IllegalArgumentException("cannot split " + all.describe() + " into train and " + testCount
                    + " test signals; need at least " + (testCount + 1) + " signals, or give testData");
        }
        int[][] parts = Split.indices(all.size(), testCount, seed);
        int[] test = parts[0];
        int[] train = parts[1];
        return new SignalSet[] {all.subset(test), all.subset(train)};
    }

    /** Coordinates of a grid, as a shared helper: index (row * cols + col) * 2 = (lin[row], lin[col]). */
    static double[] imageCoords(int h, int w) {
        double[] rows = Grid.linspace(h), cols = Grid.linspace(w);
        double[] out = new double[2 * h * w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                out[2 * (r * w + c)] = rows[r];
                out[2 * (r * w + c) + 1] = cols[c];
            }
        }
        return out;
    }
}
