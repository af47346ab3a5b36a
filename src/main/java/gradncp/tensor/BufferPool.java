package gradncp.tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Released tensor arrays kept for reuse, by dtype and length. Reuse matters on a VM: touching
 * fresh memory costs page faults (BENCHMARKS.md, engine notes), a pooled array costs none. The
 * pool holds at most {@code -Dgradncp.poolBytes} (default half the max heap); beyond that a
 * released array is left to the garbage collector. Guarded by {@link Memory#LOCK}, which the
 * allocation path holds anyway for the counts in {@link Accounting}.
 */
final class BufferPool {
    private static final long LIMIT = Long.getLong("gradncp.poolBytes", Runtime.getRuntime().maxMemory() / 2);
    private static final Map<Integer, ArrayDeque<float[]>> FLOATS = new HashMap<>();
    private static final Map<Integer, ArrayDeque<double[]>> DOUBLES = new HashMap<>();
    private static long pooled;

    private BufferPool() {}

    /** A pooled array of exactly length elements, or null; the caller holds {@link Memory#LOCK}. */
    static Object poll(DType dtype, int length) {
        assert Thread.holdsLock(Memory.LOCK);
        ArrayDeque<?> q = dtype == DType.F32 ? FLOATS.get(length) : DOUBLES.get(length);
        Object array = q == null ? null : q.poll();
        if (array != null) {
            pooled -= (long) length * dtype.bytes();
        }
        return array;
    }

    /**
     * The polled array, zeroed if asked, or a fresh one (zero already) when polling found none.
     * Runs outside the lock: zeroing a large array must not hold it.
     */
    static Object prepare(Object polled, DType dtype, int length, boolean zero) {
        if (polled == null) {
            return dtype == DType.F32 ? new float[length] : new double[length];
        }
        if (zero) {
            if (polled instanceof float[] fa) {
                Arrays.fill(fa, 0f);
            } else {
                Arrays.fill((double[]) polled, 0d);
            }
        }
        return polled;
    }

    /** Keeps a released array for reuse (or drops it when the pool is full); lock held. */
    static void put(Object array, long bytes) {
        assert Thread.holdsLock(Memory.LOCK);
        if (pooled + bytes > LIMIT) {
            return;
        }
        pooled += bytes;
        if (array instanceof float[] fa) {
            FLOATS.computeIfAbsent(fa.length, k -> new ArrayDeque<>()).push(fa);
        } else {
            double[] da = (double[]) array;
            DOUBLES.computeIfAbsent(da.length, k -> new ArrayDeque<>()).push(da);
        }
    }

    static void clear() {
        FLOATS.clear();
        DOUBLES.clear();
        pooled = 0;
    }
}
