package gradncp.tensor.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RecursiveAction;

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
     * Runs body over [0, n) split into at most {@link #threads()} contiguous chunks of at least
     * {@code grain} items each; runs inline when the work is too small to split.
     */
    public static void forRange(int n, int grain, Range body) {
        int chunks = Math.min(THREADS, Math.max(1, n / Math.max(1, grain)));
        if (chunks <= 1 || n <= 1) {
            body.run(0, n);
            return;
        }
        if (ForkJoinTask.inForkJoinPool() && POOL == ForkJoinTask.getPool()) {
            forkChunks(n, chunks, body);
        } else {
            POOL.invoke(new RecursiveAction() {
                @Override
                protected void compute() {
                    forkChunks(n, chunks, body);
                }
            });
        }
    }

    private static void forkChunks(int n, int chunks, Range body) {
        var tasks = new RecursiveAction[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            final int lo = (int) ((long) n * c / chunks), hi = (int) ((long) n * (c + 1) / chunks);
            tasks[c - 1] = new RecursiveAction() {
                @Override
                protected void compute() {
                    body.run(lo, hi);
                }
            };
            tasks[c - 1].fork();
        }
        body.run(0, (int) ((long) n / chunks));
        for (int c = chunks - 2; c >= 0; c--) {
            tasks[c].join();
        }
    }
}
