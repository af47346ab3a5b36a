package gradncp.meta;

import gradncp.config.MetaConfig.Selection;
import gradncp.nn.Batch;
import gradncp.nn.Decoder;
import gradncp.nn.Elements;
import gradncp.nn.Params;
import gradncp.tensor.Autodiff;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Context pruning (GradNCP, Tack et al. 2023, Sec. 3.1; ALGORITHM.md, Context selection): per
 * signal, keep the floor(gamma N) elements with the largest per-element score, the decoder's
 * bound on the norm of the per-element loss gradient with respect to the last layer
 * ({@link Decoder#scores}), scored at the current parameters without gradient. The chosen indices
 * are constants of the graph.
 */
public final class Context {
    private Context() {}

    /** Number of kept points: floor(ratio * n), at least 1. */
    public static int keep(int n, double ratio) {
        return Math.max(1, (int) Math.floor(n * ratio));
    }

    /**
     * Indices [B][k] of the points to keep, ascending per signal; null means the full context.
     * Scores are computed detached, in a memory scope of their own.
     */
    public static int[][] select(Decoder decoder, Params params, Batch batch, Selection selection,
            double ratio, SplittableRandom rng) {
        int n = batch.points();
        int k = keep(n, ratio);
        if (selection == Selection.FULL || k >= n) {
            return null;
        }
        if (selection == Selection.RANDOM) {
            int[][] idx = new int[batch.size()][];
            for (int b = 0; b < idx.length; b++) {
                idx[b] = randomSubset(n, k, rng);
            }
            return idx;
        }
        float[] score = scores(decoder, params, batch, selection != Selection.ERROR);
        int[] labels = selection == Selection.GRADNCP_PER_CLASS ? labels(decoder, batch) : null;
        int[][] idx = new int[batch.size()][];
        for (int b = 0; b < idx.length; b++) {
            idx[b] = labels == null ? topK(score, b * n, n, k) : perClassTopK(score, labels, b * n, n, k, ratio);
        }
        return idx;
    }

    /**
     * The non-default per-class selection (ALGORITHM.md, Context selection): of every class c with
     * n_c elements in [off, off + n), the floor(ratio * n_c) highest scores (at least 1), then the
     * highest remaining scores up to k in all, so the kept set has the size of {@link #topK}'s.
     * Indices relative to off, ascending.
     */
    static int[] perClassTopK(float[] score, int[] labels, int off, int n, int k, double ratio) {
        int classes = 0;
        for (int i = 0; i < n; i++) {
            classes = Math.max(classes, labels[off + i] + 1);
        }
        boolean[] kept = new boolean[n];
        int count = 0;
        for (int c = 0; c < classes; c++) {
            int[] members = new int[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (labels[off + i] == c) {
                    members[m++] = i;
                }
            }
            if (m == 0) {
                continue;
            }
            count += keepTop(score, off, members, m, Math.min(m, keep(m, ratio)), kept);
        }
        if (count < k) {
            int[] rest = new int[n - count];
            int r = 0;
            for (int i = 0; i < n; i++) {
                if (!kept[i]) {
                    rest[r++] = i;
                }
            }
            count += keepTop(score, off, rest, r, Math.min(r, k - count), kept);
        }
        int[] idx = new int[count];
        for (int i = 0, j = 0; i < n; i++) {
            if (kept[i]) {
                idx[j++] = i;
            }
        }
        return idx;
    }

    /** Marks the want highest-score elements of members[0, m) in kept; returns want. */
    private static int keepTop(float[] score, int off, int[] members, int m, int want, boolean[] kept) {
        float[] sub = new float[m];
        for (int j = 0; j < m; j++) {
            sub[j] = score[off + members[j]];
        }
        for (int j : topK(sub, 0, m, want)) {
            kept[members[j]] = true;
        }
        return want;
    }

    /** Each element's class [B * N], signal-major: the position of the 1 in its one-hot value [B, N, ways]. */
    private static int[] labels(Decoder decoder, Batch batch) {
        if (batch.values().rank() != 3) {
            throw notOneHot(decoder);
        }
        int ways = batch.values().dim(2);
        double[] v = batch.values().toDoubleArray();
        int[] out = new int[v.length / ways];
        for (int i = 0; i < out.length; i++) {
            int ones = 0;
            for (int j = 0; j < ways; j++) {
                double x = v[i * ways + j];
                if (x == 1) {
                    ones++;
                    out[i] = j;
                } else if (x != 0) {
                    throw notOneHot(decoder);
                }
            }
            if (ones != 1) {
                throw notOneHot(decoder);
            }
        }
        return out;
    }

    private static IllegalArgumentException notOneHot(Decoder decoder) {
        return new IllegalArgumentException("selection=gradncp_per_class needs one-hot labelled elements"
                + " (modality=classification); the " + decoder.tag() + " batch's values are not one-hot");
    }

    /**
     * Scores [B * N], signal-major: the decoder's last-layer score, or the error-only score, in
     * chunks of elements so that memory stays bounded at any resolution.
     */
    public static float[] scores(Decoder decoder, Params params, Batch batch, boolean lastLayer) {
        int n = batch.points();
        int b = batch.size();
        int chunk = decoder.chunk(b, n);
        float[] out = new float[b * n];
        Autodiff.noGrad(() -> {
            for (int lo = 0; lo < n; lo += chunk) {
                int len = Math.min(chunk, n - lo);
                try (Memory.Scope scope = Memory.scope()) {
                    float[] part = decoder.scores(params.detach(), batch, Elements.range(lo, len), lastLayer)
                            .toFloatArray();
                    for (int i = 0; i < b; i++) {
                        System.arraycopy(part, i * len, out, i * n + lo, len);
                    }
                }
            }
            return null;
        });
        return out;
    }

    /** Indices of the k largest of score[off, off + n), ascending. O(n) expected (quickselect). */
    static int[] topK(float[] score, int off, int n, int k) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            // non-negative floats order like their bit patterns; NaN scores sort last
            float s = score[off + i];
            int bits = Float.isNaN(s) ? 0 : Float.floatToIntBits(Math.max(s, 0f));
            keys[i] = ((long) bits << 32) | i;
        }
        select(keys, n - k);
        int[] idx = new int[k];
        for (int i = 0; i < k; i++) {
            idx[i] = (int) keys[n - k + i];
        }
        Arrays.sort(idx);
        return idx;
    }

    /** Partially orders keys so that keys[pos] is in sorted position and keys after it are larger. */
    private static void select(long[] a, int pos) {
        int lo = 0;
        int hi = a.length - 1;
        SplittableRandom r = new SplittableRandom(a.length);
        while (lo < hi) {
            long pivot = a[lo + r.nextInt(hi - lo + 1)];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long t = a[i];
                    a[i] = a[j];
                    a[j] = t;
                    i++;
                    j--;
                }
            }
            if (pos <= j) {
                hi = j;
            } else if (pos >= i) {
                lo = i;
            } else {
                return;
            }
        }
    }

    private static int[] randomSubset(int n, int k, SplittableRandom rng) {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = Arrays.copyOf(perm, k);
        Arrays.sort(out);
        return out;
    }
}
