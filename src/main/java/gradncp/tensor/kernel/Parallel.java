package gradncp.tensor.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The engine's one thread pool: a work-stealing pool with one worker per core. Nested calls are
 * safe (a joining worker runs other tasks), so a parallel loop over signals may call a parallel
 * matmul. Not a general executor: only range loops over independent, equally sized work items.
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
    private static final ForkJoinPool POOL = new ForkJoinPool(THREADS,
            pool -> {
                var t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                t.setDaemon(true);
                t.setName("gradncp-" + t.getPoolIndex());
                return t;
            }, null, false);

    private Parallel() {}

    public static int threads() {
        return THREADS;
    }

    /**
     * Pieces per thread of a range loop. Two vCPUs of a shared host seldom run at the same speed
     * (one is often descheduled for milliseconds): with one piece per thread the loop waits for
     * the slower one, with several the faster thread takes more of them.
     */
    private static final int PIECES_PER_THREAD = 8;

    /**
     * Runs body over [0, n) split into fixed contiguous pieces of at least {@code grain} items
     * each (at most {@link #threads()} x 8 of them), which the pool's threads claim one at a
     * time; runs inline when the work is too small to split. The piece boundaries depend only on
     * n, grain and the thread count, never on timing, so a body that reduces per piece stays
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
        forPieces(n, pieces, body);
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

    private static void forPieces(int n, int pieces, Piece body) {
        AtomicInteger next = new AtomicInteger();
        if (ForkJoinTask.inForkJoinPool() && POOL == ForkJoinTask.getPool()) {
            claimAll(n, pieces, next, body);
        } else {
            POOL.invoke(new RecursiveAction() {
                @Override
                protected void compute() {
                    claimAll(n, pieces, next, body);
                }
            });
        }
    }

    /** Forks one claimer per other thread, claims pieces itself, then joins the claimers. */
    private static void claimAll(int n, int pieces, AtomicInteger next, Piece body) {
        int helpers = Math.min(THREADS, pieces) - 1;
        var tasks = new RecursiveAction[helpers];
        for (int t = 0; t < helpers; t++) {
            tasks[t] = new RecursiveAction() {
                @Override
                protected void compute() {
                    claim(n, pieces, next, body);
                }
            };
            tasks[t].fork();
        }
        claim(n, pieces, next, body);
        for (int t = helpers - 1; t >= 0; t--) {
            tasks[t].join();
        }
    }

    private static void claim(int n, int pieces, AtomicInteger next, Piece body) {
        for (int p = next.getAndIncrement(); p < pieces; p = next.getAndIncrement()) {
            body.run(p, pieceStart(n, pieces, p), pieceStart(n, pieces, p + 1));
        }
    }
}
