package gradncp.tensor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Matrix-product FLOPs executed (2 m n k per product), counted by every GEMM call of the engine,
 * for benchmarks that report GFLOP/s. One count for the whole JVM: a measurement, read around a
 * region by the one caller that measures it, never a setting that changes what the engine does.
 */
public final class FlopCounter {
    private static final AtomicLong MATMUL = new AtomicLong();

    private FlopCounter() {}

    /** Matrix-product FLOPs since the last {@link #reset()}. */
    public static long matmulFlops() {
        return MATMUL.get();
    }

    public static void reset() {
        MATMUL.set(0);
    }

    static void addMatmul(long flops) {
        MATMUL.addAndGet(flops);
    }
}
