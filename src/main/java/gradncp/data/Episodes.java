package gradncp.data;

import gradncp.nn.Batch;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * N-way K-shot Q-query episodes from some classes of a {@link LabelledImages} (ALGORITHM.md,
 * Classification). Episode e depends only on (seed, e): its N classes are drawn without
 * replacement from the given classes and labelled 0..N-1 in draw order, and each class gives
 * K + Q distinct images, the first K to the support set and the rest to the query set. Support
 * and query sets are laid out class by class.
 */
public final class Episodes {
    private final LabelledImages data;
    private final int[] classes;
    private final int ways;
    private final int shots;
    private final int queries;

    public Episodes(LabelledImages data, int[] classes, int ways, int shots, int queries) {
        if (ways < 2 || shots < 1 || queries < 1) {
            throw new IllegalArgumentException("episodes need ways >= 2, shots >= 1 and queries >= 1, got " + ways
                    + "-way " + shots + "-shot " + queries + "-query");
        }
        if (classes.length < ways) {
            throw new IllegalArgumentException(ways + "-way episodes need at least " + ways + " classes, but this part"
                    + " of " + data.describe() + " has " + classes.length);
        }
        for (int c : classes) {
            if (data.examples(c) < shots + queries) {
                throw new IllegalArgumentException(shots + "-shot " + queries + "-query episodes need " + (shots + queries)
                        + " images per class, but class '" + data.className(c) + "' of " + data.describe() + " has "
                        + data.examples(c));
            }
        }
        this.data = data;
        this.classes = classes.clone();
        this.ways = ways;
        this.shots = shots;
        this.queries = queries;
    }

    public int ways() {
        return ways;
    }

    public int shots() {
        return shots;
    }

    public int queries() {
        return queries;
    }

    /** The task's name, e.g. "5-way 100-shot 15-query". */
    public String task() {
        return ways + "-way " + shots + "-shot " + queries + "-query";
    }

    /**
     * Episodes first .. first + count - 1 of seed as one batch: inputs [count, N K, C, S, S] and
     * one-hot labels [count, N K, N], with the query set [count, N Q, ...] as {@link Batch#query}.
     */
    public Batch batch(long seed, long first, int count, DType dtype) {
        int c = data.channels();
        int s = data.size();
        int px = c * s * s;
        int nSupport = ways * shots;
        int nQuery = ways * queries;
        double[] sx = new double[count * nSupport * px];
        double[] sy = new double[count * nSupport * ways];
        double[] qx = new double[count * nQuery * px];
        double[] qy = new double[count * nQuery * ways];
        for (int b = 0; b < count; b++) {
            SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, first + b));
            int[] picked = distinct(rng, classes.length, ways);
            for (int w = 0; w < ways; w++) {
                int cls = classes[picked[w]];
                int[] ex = distinct(rng, data.examples(cls), shots + queries);
                for (int j = 0; j < shots + queries; j++) {
                    float[] img = data.image(cls, ex[j]);
                    boolean support = j < shots;
                    int row = support ? (b * nSupport + w * shots + j) : (b * nQuery + w * queries + j - shots);
                    double[] x = support ? sx : qx;
                    double[] y = support ? sy : qy;
                    for (int i = 0; i < px; i++) {
                        x[row * px + i] = img[i];
                    }
                    y[row * ways + w] = 1;
                }
            }
        }
        Batch query = Batch.episode(Tensor.of(dtype, qx, count, nQuery, c, s, s), Tensor.of(dtype, qy, count, nQuery, ways),
                null);
        return Batch.episode(Tensor.of(dtype, sx, count, nSupport, c, s, s), Tensor.of(dtype, sy, count, nSupport, ways),
                query);
    }

    /** k distinct integers from [0, n), in draw order (partial Fisher-Yates; rejection when n is large). */
    static int[] distinct(SplittableRandom rng, int n, int k) {
        int[] out = new int[k];
        if (n > 64 * k) {
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int i = 0; i < k; i++) {
                int v;
                do {
                    v = rng.nextInt(n);
                } while (!seen.add(v));
                out[i] = v;
            }
            return out;
        }
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
            out[i] = perm[i];
        }
        return out;
    }
}
