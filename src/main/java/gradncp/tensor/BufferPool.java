package gradncp.tensor;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Released tensor arrays kept for reuse, by dtype and length. Reuse matters on a VM: touching
 * fresh memory costs page faults (about 110 ms per 32 MiB here), a pooled array costs none. The
 * pool holds at most {@code -Dgradncp.poolBytes} (default half the max heap); beyond that a
 * released array is left to the garbage collector.
 */
final class BufferPool {
    private static final long LIMIT = Long.getLong("gradncp.poolBytes", Runtime.getRuntime().maxMemory() / 2);
    private static final Map<Integer, ArrayDeque<float[]>> FLOATS = new HashMap<>();
    private static final Map<Integer, ArrayDeque<double[]>> DOUBLES = new HashMap<>();
    private static long pooled;

    private BufferPool() {}

    /** An array of exactly length elements, pooled (zeroed if asked) or fresh (zero anyway). */
    static Object take(DType dtype, int length, boolean zero) {
        Object array = takePooled(dtype, length);
        if (array == null) {
            return dtype == DType.F32 ? new float[length] : new double[length];
        }
        if (zero) {
            if (array instanceof float[] fa) {
                Arrays.fill(fa, 0f);
            } else {
                Arrays.fill((double[]) array, 0d);
            }
        }
        return array;
    }

    private static synchronized Object takePooled(DType dtype, int length) {
        long bytes = (long) length * dtype.bytes();
        ArrayDeque<?> q = dtype == DType.F32 ? FLOATS.get(length) : DOUBLES.get(length);
        Object array = q == null ? null : q.poll();
        if (array != null) {
            pooled -= bytes;
        }
        return array;
    }

    /** Keeps a released array for reuse (or drops it when the pool is full). */
    static synchronized void put(Object array, long bytes) {
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

    static synchronized void clear() {
        FLOATS.clear();
        DOUBLES.clear();
        pooled = 0;
    }
}
