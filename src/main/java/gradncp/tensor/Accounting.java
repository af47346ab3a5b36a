package gradncp.tensor;

import java.lang.ref.Cleaner;

/**
 * Exact count of the bytes of tensor storage alive in the JVM, and their peak. A storage counts
 * from its allocation until it is released: by the scope that owns it when that closes, by
 * {@link Tensor#release()}, by eviction, or, for storage outside every scope, when the garbage
 * collector reclaims it (then "alive" means "not yet collected"). Each storage is counted down
 * once, whichever comes first; scopes keep their own counts of the same bytes
 * ({@link Memory.Scope#peakBytes()}).
 *
 * <p>The counts share {@link Memory#LOCK} with the {@link BufferPool}: every method but the GC
 * cleaner's is called holding it, so an allocation or a release takes one lock for both.
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

    static long live() {
        return live;
    }

    static long peak() {
        return peak;
    }

    static void resetPeak() {
        peak = live;
    }

    /** Counts newly allocated bytes as alive. */
    static void add(long bytes) {
        assert Thread.holdsLock(Memory.LOCK);
        live += bytes;
        peak = Math.max(peak, live);
    }

    /** Counts an evicted storage's refilled array as alive again, here and in its scope. */
    static void recount(Storage s) {
        add(s.account.bytes);
        s.account.counted = true;
        if (s.scope != null) {
            s.scope.count(s.account.bytes);
        }
    }

    /** Counts a storage's bytes as no longer alive (once), here and in its scope. */
    static void uncount(Storage s) {
        assert Thread.holdsLock(Memory.LOCK);
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

    private static void countDown(Account a) {
        synchronized (Memory.LOCK) {
            if (a.counted) {
                a.counted = false;
                live -= a.bytes;
            }
        }
    }
}
