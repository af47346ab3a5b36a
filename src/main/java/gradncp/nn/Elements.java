package gradncp.nn;

/**
 * Which context elements of every signal in a batch one pass covers (an element is what the
 * context is made of: a pixel or sample for a SIREN, a frame for NeRV). Either a contiguous range
 * {@code [lo, lo + len)} shared by all signals (full-context passes, taken in chunks to bound
 * memory), or per-signal indices {@code idx[B][k]}, ascending (a pruned context).
 */
public record Elements(int lo, int len, int[][] idx) {
    public Elements {
        if (idx == null && (lo < 0 || len < 1)) {
            throw new IllegalArgumentException("an element range needs lo >= 0 and len >= 1, got [" + lo + ", "
                    + (lo + len) + ")");
        }
    }

    /** Every element of signals with n elements. */
    public static Elements all(int n) {
        return new Elements(0, n, null);
    }

    public static Elements range(int lo, int len) {
        return new Elements(lo, len, null);
    }

    /** Per-signal indices; null stands for the full context of n elements. */
    public static Elements of(int[][] idx, int n) {
        return idx == null ? all(n) : new Elements(0, 0, idx);
    }

    /** Whether these are per-signal indices (a pruned context) rather than a shared range. */
    public boolean picked() {
        return idx != null;
    }

    /** Whether this is the whole range of n elements. */
    public boolean isAll(int n) {
        return idx == null && lo == 0 && len == n;
    }

    /** Elements per signal. */
    public int count() {
        return idx == null ? len : idx[0].length;
    }

    /** The indices as per-signal rows (a range repeated for each of b signals). */
    public int[][] rows(int b) {
        if (idx != null) {
            return idx;
        }
        int[][] out = new int[b][len];
        for (int[] row : out) {
            for (int j = 0; j < len; j++) {
                row[j] = lo + j;
            }
        }
        return out;
    }
}
