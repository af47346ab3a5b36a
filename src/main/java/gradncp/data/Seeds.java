package gradncp.data;

/**
 * Derived seeds: one independent random stream per (seed, index), e.g. per image of a generated
 * set or per epoch of a {@link Sampler}, so any item can be made without replaying the others.
 */
final class Seeds {
    private Seeds() {}

    /** The SplitMix64 finaliser (Steele, Lea and Flood, OOPSLA 2014) of seed + (index+1)·golden. */
    static long derive(long seed, long index) {
        long z = seed + (index + 1) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
