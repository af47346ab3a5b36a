package gradncp.bench;

import gradncp.tensor.kernel.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's float32 FMA ceiling right now: every engine thread runs 12 independent chains
 * of vector fused multiply-adds on registers (no memory traffic), and the rate is 2 FLOPs per
 * lane per FMA. On a shared VM this ceiling moves with the host's load, so the benchmarks
 * measure it in the same invocation as the step they report.
 */
public final class FmaPeak {
    private FmaPeak() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static volatile float sink;

    /** GFLOP/s of all engine threads together over about {@code millis} ms (after a short warm-up). */
    public static double gflops(long millis) {
        chains(1 << 16); // compile
        int threads = Parallel.threads();
        long iters = 1 << 20;
        long t0 = System.nanoTime();
        chains(iters);
        double perIterNs = (System.nanoTime() - t0) / (double) iters;
        long n = Math.max(1, (long) (millis * 1e6 / Math.max(perIterNs, 1e-3)));
        long start = System.nanoTime();
        Parallel.forRange(threads, 1, (lo, hi) -> {
            for (int t = lo; t < hi; t++) {
                chains(n);
            }
        });
        double sec = (System.nanoTime() - start) / 1e9;
        return threads * n * 12.0 * S.length() * 2 / sec / 1e9;
    }

    private static void chains(long iters) {
        FloatVector a0 = FloatVector.broadcast(S, 1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        FloatVector a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        FloatVector m = FloatVector.broadcast(S, 0.9999999f), c = FloatVector.broadcast(S, 1e-7f);
        for (long i = 0; i < iters; i++) {
            a0 = a0.fma(m, c);
            a1 = a1.fma(m, c);
            a2 = a2.fma(m, c);
            a3 = a3.fma(m, c);
            a4 = a4.fma(m, c);
            a5 = a5.fma(m, c);
            a6 = a6.fma(m, c);
            a7 = a7.fma(m, c);
            a8 = a8.fma(m, c);
            a9 = a9.fma(m, c);
            a10 = a10.fma(m, c);
            a11 = a11.fma(m, c);
        }
        sink = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
                .reduceLanes(VectorOperators.ADD);
    }
}
