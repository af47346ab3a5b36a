package gradncp.tensor;

import java.lang.ref.Cleaner;

/**
 * Exact count of the bytes of tensor storage alive in the JVM, and their peak. A storage counts
 * from its allocation until it is released: by the scope that owns it when that closes, by
 * {@link Tensor#release()}, by eviction, or, for storage outside every scope, when the garbage
 * collector reclaims it (then "alive" means "not yet collected"). Each storage is counted down
 * once, whichever comes first; scopes keep their own counts of the same bytes
 * ({@link Memory.Scope#peakBytes()}).
 */
final class Accounting {
    /** Bytes of one storage and whether they are counted now (shared with its GC cleaner). */
    static final class Account {
        final long bytes;
        boolean counted = true;

        Account(long bytes) {
            this.bytes = bytes;
        }
    }

    private static final Cleaner CLEANER = Cleaner.create();
    private static long live;
    private static long peak;

    private Accounting() {}

    static synchronized long live() {
        return live;
    }

    static synchronized long peak() {
        return peak;
    }

    static synchronized void resetPeak() {
        peak = live;
    }

    /** Counts newly allocated bytes as alive. */
    static synchronized void add(long bytes) {
        live += bytes;
        peak = Math.max(peak, live);
    }

    /** Counts an evicted storage's refilled array as alive again, here and in its scope. */
    static synchronized void recount(Storage s) {
        add(s.account.bytes);
        s.account.counted = true;
        if (s.scope != null) {
            s.scope.count(s.account.bytes);
        }
    }

    /** Counts a storage's bytes as no longer alive (once), here and in its scope. */
    static synchronized void uncount(Storage s) {
        if (s.account.counted) {
            s.account.counted = false;
            live -= s.account.bytes;
            if (s.scope != null) {
                s.scope.count(-s.account.bytes);
            }
        }
    }

    /** Counts an unscoped storage down when the garbage collector reclaims it. */
    static void uncountWhenCollected(Storage s) {
        Account a = s.account;
        CLEANER.register(s, () -> countDown(a));
    }

    private static synchronized void countDown(Account a) {
        if (a.counted) {
            a.counted = false;
            live -= a.bytes;
        }
    }
}
