package gradncp.data;

import gradncp.config.MetaConfig.Sampling;
import java.util.SplittableRandom;

/**
 * An endless stream of signal indices in [0, n), served in batches, in one of two orders:
 * <ul>
 *   <li>{@code EPOCH}: each epoch is a fresh random permutation, and a batch may run across an
 *       epoch boundary (every signal once per epoch);
 *   <li>{@code IID}: each batch is a uniform random set of distinct indices (in random order),
 *       independent of the other batches, as the PyTorch reference's train loop draws them
 *       ({@code RandomState.choice(n, batch, replace=False)} per step).
 * </ul>
 * Either stream is a pure function of (n, seed), so the whole state is the count of indices
 * served, {@link #position()}: save it in a checkpoint and {@code new Sampler(order, n, seed,
 * position)} resumes exactly (an iid batch is seeded by (seed, its start position)).
 *
 * <p>The official implementation (common/utils.py {@code InfiniteSampler}) reshuffles inside a
 * moving window instead; any uniform reshuffle serves the epoch order's purpose, and this one is
 * resumable without storing the window.
 */
public final class Sampler {
    private final Sampling order;
    private final int n;
    private final long seed;
    private long position;
    private long permutationEpoch = -1;
    private final int[] permutation;

    /** An epoch-order stream from the start. */
    public Sampler(int n, long seed) {
        this(Sampling.EPOCH, n, seed, 0);
    }

    /** Resumes the epoch-order stream of (n, seed) after {@code position} indices. */
    public Sampler(int n, long seed, long position) {
        this(Sampling.EPOCH, n, seed, position);
    }

    /** Resumes the stream of (order, n, seed) after {@code position} indices have been served. */
    public Sampler(Sampling order, int n, long seed, long position) {
        if (order == null) throw new IllegalArgumentException("order must not be null");
        if (n < 1) throw new IllegalArgumentException("n must be >= 1 (number of signals), got " + n);
        if (position < 0) throw new IllegalArgumentException("position must be >= 0, got " + position);
        this.order = order;
        this.n = n;
        this.seed = seed;
        this.position = position;
        this.permutation = new int[n];
    }

    /**
     * The next {@code batch} indices: distinct in iid order (which needs batch <= n), and in epoch
     * order when batch <= n and no epoch boundary is crossed.
     */
    public int[] next(int batch) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        return order == Sampling.IID ? nextIid(batch) : nextEpoch(batch);
    }

    /** A partial Fisher-Yates shuffle of 0..n-1 seeded by (seed, position): batch distinct indices. */
    private int[] nextIid(int batch) {
        if (batch > n) {
            throw new IllegalArgumentException("sampler=iid draws a batch of distinct signals: metaBatch "
                    + batch + " is larger than the " + n + " training signals");
        }
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, position));
        for (int i = 0; i < n; i++) permutation[i] = i;
        int[] out = new int[batch];
        for (int b = 0; b < batch; b++) {
            int j = b + rng.nextInt(n - b);
            int t = permutation[b];
            permutation[b] = permutation[j];
            permutation[j] = t;
            out[b] = permutation[b];
        }
        position += batch;
        permutationEpoch = -1; // the permutation array no longer holds an epoch
        return out;
    }

    private int[] nextEpoch(int batch) {
        int[] out = new int[batch];
        for (int b = 0; b < batch; b++, position++) {
            long epoch = position / n;
            if (epoch != permutationEpoch) shuffle(epoch);
            out[b] = permutation[(int) (position % n)];
        }
        return out;
    }

    /** Indices served so far; with (n, seed) the complete state. */
    public long position() {
        return position;
    }

    /** The epoch the next index comes from (iid: indices served / n). */
    public long epoch() {
        return position / n;
    }

    public int size() {
        return n;
    }

    public long seed() {
        return seed;
    }

    public Sampling order() {
        return order;
    }

    /** Fisher-Yates shuffle of 0..n-1 with a generator seeded by (seed, epoch). */
    private void shuffle(long epoch) {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, epoch));
        for (int i = 0; i < n; i++) permutation[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = t;
        }
        permutationEpoch = epoch;
    }
}
