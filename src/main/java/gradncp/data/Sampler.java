package gradncp.data;

import java.util.SplittableRandom;

/**
 * An endless stream of signal indices in [0, n), served in batches: each epoch is a fresh
 * random permutation, and a batch may run across an epoch boundary. The stream is a pure
 * function of (n, seed), so the whole state is the count of indices served, {@link #position()}:
 * save it in a checkpoint and {@code new Sampler(n, seed, position)} resumes exactly.
 *
 * <p>The reference (common/utils.py {@code InfiniteSampler}) reshuffles inside a moving window
 * instead; any uniform reshuffle serves the same purpose (every signal once per epoch, in random
 * order), and this one is resumable without storing the window.
 */
public final class Sampler {
    private final int n;
    private final long seed;
    private long position;
    private long permutationEpoch = -1;
    private final int[] permutation;

    public Sampler(int n, long seed) {
        this(n, seed, 0);
    }

    /** Resumes the stream of (n, seed) after {@code position} indices have been served. */
    public Sampler(int n, long seed, long position) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1 (number of signals), got " + n);
        if (position < 0) throw new IllegalArgumentException("position must be >= 0, got " + position);
        this.n = n;
        this.seed = seed;
        this.position = position;
        this.permutation = new int[n];
    }

    /** The next {@code batch} indices (distinct when batch <= n and no epoch boundary is crossed). */
    public int[] next(int batch) {
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
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

    /** The epoch the next index comes from. */
    public long epoch() {
        return position / n;
    }

    public int size() {
        return n;
    }

    public long seed() {
        return seed;
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
