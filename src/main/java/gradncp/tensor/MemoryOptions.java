package gradncp.tensor;

/**
 * How a memory session ({@link Memory#session}) allocates: a cap on the bytes of tensor storage
 * the session may hold at once, and whether kernels compute at all.
 *
 * <p>Dry run: every allocation happens and is accounted exactly, but no kernel computes (the
 * values are garbage and every storage aliases one shared array). Shapes never depend on values,
 * so the peak memory of a configuration is then measured in seconds at any size.
 *
 * @param budget bytes the session's tensors may hold at once ({@link #UNLIMITED} for no cap)
 * @param dry true to allocate and account without computing
 */
public record MemoryOptions(long budget, boolean dry) {
    public static final long UNLIMITED = Long.MAX_VALUE;

    public MemoryOptions {
        if (budget <= 0) {
            throw new IllegalArgumentException("memory budget must be a positive number of bytes, got "
                    + budget + "; use MemoryOptions.UNLIMITED for no cap");
        }
    }

    /** Computes, no cap (what code outside every session gets). */
    public static MemoryOptions unlimited() {
        return new MemoryOptions(UNLIMITED, false);
    }

    /** Computes, at most bytes held at once (an allocation beyond throws {@link Memory.OutOfBudget}). */
    public static MemoryOptions budget(long bytes) {
        return new MemoryOptions(bytes, false);
    }

    /** Accounts without computing, no cap. */
    public static MemoryOptions dryRun() {
        return new MemoryOptions(UNLIMITED, true);
    }

    /** Accounts without computing, at most bytes held at once. */
    public static MemoryOptions dryRun(long budget) {
        return new MemoryOptions(budget, true);
    }
}
