package gradncp.tensor.kernel;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine's threads: the calling thread plus one helper per other core share each range
 * loop. The caller publishes the loop, wakes a parked helper and starts claiming pieces at once,
 * so a loop never waits for a thread to wake before work begins; helpers spin for a while after
 * a loop before they park, because the engine issues the next loop within microseconds. The
 * caller works on the loop itself instead of handing it to a pool thread and waiting for it
 * back: a training step runs hundreds to thousands of loops, so a hand-off per loop would cost
 * more than many of the loops (BENCHMARKS.md, session 6). Not a general executor: only range
 * loops over independent, equally sized work items.
 *
 * <p>One loop runs at a time. A loop started while another runs (a nested loop inside a body,
 * or a second calling thread) runs inline on its own thread, over the same pieces.
 */
public final class Parallel {
    /** Body of a range loop: processes items [lo, hi). */
    @FunctionalInterface
    public interface Range {
        void run(int lo, int hi);
    }

    /** Body of a piece loop: processes piece {@code piece}, items [lo, hi). */
    @FunctionalInterface
    public interface Piece {
        void run(int piece, int lo, int hi);
    }

    private static final int THREADS = Math.max(1,
            Integer.getInteger("gradncp.threads", Runtime.getRuntime().availableProcessors()));

    /** How long an idle helper spins for the next loop before it parks. */
    private static final long SPIN_NS = 500_000;

    private Parallel() {}

    public static int threads() {
        return THREADS;
    }

    /**
     * True on one of the engine's helper threads. Loop bodies run there must not allocate tensors
     * or open memory scopes: the caller's memory session (budget, dry run) is per thread and
     * would not apply there.
     */
    public static boolean onHelperThread() {
        return Thread.currentThread() instanceof Helper;
    }

    /**
     * Pieces per thread of a range loop. Two vCPUs of a shared host seldom run at the same speed
     * (one is often descheduled for milliseconds): with one piece per thread the loop waits for
     * the slower one, with several the faster thread takes more of them.
     */
    private static final int PIECES_PER_THREAD = 8;

    /**
     * Runs body over [0, n) split into fixed contiguous pieces of at least {@code grain} items
     * each (at most {@link #threads()} x 8 of them), which the threads claim one at a time; runs
     * inline when the work is too small to split. The piece boundaries depend only on n, grain
     * and the thread count, never on timing, so a body that reduces per piece stays
     * deterministic. When n is at most the thread count and grain is 1, every item is its own
     * piece.
     */
    public static void forRange(int n, int grain, Range body) {
        forEachPiece(n, pieces(n, grain), (p, lo, hi) -> body.run(lo, hi));
    }

    /**
     * Runs body on every piece of [0, n) split into {@code pieces} fixed contiguous pieces (as
     * {@link #forRange} does, with the piece index, for a body that keeps one partial result per
     * piece and combines them in piece order); inline when pieces is 1.
     */
    public static void forEachPiece(int n, int pieces, Piece body) {
        if (pieces <= 1) {
            body.run(0, 0, n);
            return;
        }
        Team.run(n, pieces, body);
    }

    /** Pieces {@link #forRange} splits [0, n) into for this grain (1: runs inline). */
    public static int pieces(int n, int grain) {
        if (THREADS <= 1 || n <= 1) {
            return 1;
        }
        return (int) Math.min((long) THREADS * PIECES_PER_THREAD, Math.max(1, n / Math.max(1, grain)));
    }

    /** Start of piece p of [0, n) split into {@code pieces} (piece p is [start(p), start(p+1))). */
    private static int pieceStart(int n, int pieces, int p) {
        return (int) ((long) n * p / pieces);
    }

    /** One published loop: its pieces, the claim counter and the count of unfinished pieces. */
    private static final class Job {
        /** Numbers the published loops, so a helper runs each once without holding on to it. */
        private static long published;

        final long seq = ++published; // jobs are created under Team.BUSY
        final int n, pieces;
        final Piece body;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger left;
        volatile Throwable error;

        Job(int n, int pieces, Piece body) {
            this.n = n;
            this.pieces = pieces;
            this.body = body;
            left = new AtomicInteger(pieces);
        }

        /** Claims and runs pieces until none is left to claim (after a failure: skips them). */
        void work() {
            for (int p = next.getAndIncrement(); p < pieces; p = next.getAndIncrement()) {
                try {
                    if (error == null) {
                        body.run(p, pieceStart(n, pieces, p), pieceStart(n, pieces, p + 1));
                    }
                } catch (Throwable t) {
                    error = t;
                } finally {
                    left.decrementAndGet();
                }
            }
        }
    }

    /** A helper thread: runs every newly published loop's pieces, spins, then parks. */
    private static final class Helper extends Thread {
        volatile boolean parked;

        Helper(int index) {
            super("gradncp-" + index);
            setDaemon(true);
        }

        @Override
        public void run() {
            long seen = 0;
            long idleSince = System.nanoTime();
            while (true) {
                Job j = Team.current;
                if (j != null && j.seq != seen) {
                    seen = j.seq;
                    j.work();
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NS) {
                    Thread.onSpinWait();
                } else {
                    // announce the park, then look once more: a caller publishes its loop before
                    // it reads parked, so either it unparks us or we see its loop here
                    parked = true;
                    Job c = Team.current;
                    if (c == null || c.seq == seen) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }

    /** The helpers (created on first use) and the loop they are working on. */
    private static final class Team {
        static final ReentrantLock BUSY = new ReentrantLock();
        static volatile Job current;
        static final Helper[] HELPERS = new Helper[THREADS - 1];

        static {
            for (int i = 0; i < HELPERS.length; i++) {
                HELPERS[i] = new Helper(i + 1);
                HELPERS[i].start();
            }
        }

        static void run(int n, int pieces, Piece body) {
            if (BUSY.isHeldByCurrentThread() || !BUSY.tryLock()) {
                for (int p = 0; p < pieces; p++) {
                    body.run(p, pieceStart(n, pieces, p), pieceStart(n, pieces, p + 1));
                }
                return;
            }
            Job job = new Job(n, pieces, body);
            try {
                current = job;
                for (Helper h : HELPERS) {
                    if (h.parked) {
                        LockSupport.unpark(h);
                    }
                }
                job.work();
                while (job.left.get() > 0) {
                    Thread.onSpinWait(); // a helper is finishing its last piece
                }
            } finally {
                current = null;
                BUSY.unlock();
            }
            Throwable t = job.error;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t instanceof Error e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
        }
    }
}
