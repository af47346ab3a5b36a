package gradncp.tensor.kernel;

import java.util.SplittableRandom;

/** Timing main for {@link Gemm}: prints GFLOP/s (best of several runs after warm-up) per shape. */
public final class GemmBench {
    private GemmBench() {}

    /** Warm-up per shape, long enough for C2 to compile the micro-kernel under load. */
    private static final long WARMUP_NANOS = 1_500_000_000L;

    /** Runs every code path (edge tiles, transposed output, accumulate) so the JIT sees them all. */
    public static void warmUp() {
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        float[] a = new float[300 * 300], b = new float[300 * 300], c = new float[300 * 300];
        double[] ad = new double[300 * 300], bd = new double[300 * 300], cd = new double[300 * 300];
        long end = System.nanoTime() + 2 * WARMUP_NANOS;
        while (System.nanoTime() < end) {
            int m = 1 + rnd.nextInt(299), n = 1 + rnd.nextInt(299), k = 1 + rnd.nextInt(299);
            boolean ta = rnd.nextBoolean(), tb = rnd.nextBoolean(), acc = rnd.nextBoolean();
            Gemm.sgemm(1, ta, tb, m, n, k, a, 0, 0, b, 0, 0, c, 0, 0, acc);
            Gemm.dgemm(1, ta, tb, m, n, k, ad, 0, 0, bd, 0, 0, cd, 0, 0, acc);
        }
    }

    /** Float32 GFLOP/s of one sgemm call of the given shape: best of {@code reps} after warm-up. */
    public static double gflops(boolean ta, boolean tb, int m, int n, int k, int reps) {
        return gflopsStats(ta, tb, m, n, k, reps)[0];
    }

    /**
     * Float32 GFLOP/s of one sgemm call of the given shape after warm-up: {best, median} over
     * {@code reps} timed repeats (a repeat is as many calls as take about a second of work at 2
     * GFLOP/s, at least one).
     */
    public static double[] gflopsStats(boolean ta, boolean tb, int m, int n, int k, int reps) {
        SplittableRandom rnd = new SplittableRandom(1);
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextDouble(-1, 1);
        return time(2.0 * m * n * k, reps,
                () -> Gemm.sgemm(1, ta, tb, m, n, k, a, 0, 0, b, 0, 0, c, 0, 0, false));
    }

    /** Float64 twin of {@link #gflops}. */
    public static double gflopsDouble(boolean ta, boolean tb, int m, int n, int k, int reps) {
        SplittableRandom rnd = new SplittableRandom(1);
        double[] a = new double[m * k], b = new double[k * n], c = new double[m * n];
        for (int i = 0; i < a.length; i++) a[i] = rnd.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = rnd.nextDouble(-1, 1);
        return time(2.0 * m * n * k, reps,
                () -> Gemm.dgemm(1, ta, tb, m, n, k, a, 0, 0, b, 0, 0, c, 0, 0, false))[0];
    }

    /** {best, median} GFLOP/s of call (flops each) over reps timed repeats after the warm-up. */
    private static double[] time(double flops, int reps, Runnable call) {
        int inner = (int) Math.max(1, Math.min(1000, 2e9 / Math.max(1, flops)));
        long warmEnd = System.nanoTime() + WARMUP_NANOS;
        do {
            call.run();
        } while (System.nanoTime() < warmEnd);
        double[] ns = new double[Math.max(1, reps)];
        for (int r = 0; r < ns.length; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < inner; i++) {
                call.run();
            }
            ns[r] = (System.nanoTime() - t0) / (double) inner;
        }
        java.util.Arrays.sort(ns);
        double median = ns.length % 2 == 1 ? ns[ns.length / 2]
                : 0.5 * (ns[ns.length / 2 - 1] + ns[ns.length / 2]);
        return new double[] {flops / ns[0], flops / median};
    }

    private static String name(boolean ta, boolean tb) {
        return (ta ? "T" : "N") + (tb ? "T" : "N");
    }

    /** Usage: GemmBench [N=32768] [reps=5]. Prints one line per shape. */
    public static void main(String[] args) {
        int big = args.length > 0 ? Integer.parseInt(args[0]) : 32768;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Object[][] shapes = {
            {false, true, big, 256, 256, "forward  [N,256]x[256,256]^T"},
            {false, false, big, 256, 256, "dX       [N,256]x[256,256]"},
            {true, false, 256, 256, big, "dW       [N,256]^Tx[N,256]"},
            {false, true, big, 256, 2, "fwd k=2  [N,2]x[256,2]^T"},
            {false, true, big, 3, 256, "fwd n=3  [N,256]x[3,256]^T"},
            {false, false, big, 256, 3, "dX k=3   [N,3]x[3,256]"},
            {true, false, 3, 256, big, "dW m=3   [N,3]^Tx[N,256]"},
            {true, false, 256, 2, big, "dW n=2   [N,256]^Tx[N,2]"},
            {false, true, 64, 64, 64, "small    64x64x64"},
            {false, false, 16, 16, 16, "tiny     16x16x16"},
        };
        warmUp();
        System.out.printf("threads=%d lanes(float)=%d%n", Parallel.threads(),
                jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length());
        for (Object[] s : shapes) {
            boolean ta = (Boolean) s[0], tb = (Boolean) s[1];
            int m = (Integer) s[2], n = (Integer) s[3], k = (Integer) s[4];
            System.out.printf("f32 %s m=%d n=%d k=%d  %-30s %8.1f GFLOP/s%n", name(ta, tb), m, n, k,
                    s[5], gflops(ta, tb, m, n, k, reps));
        }
        System.out.printf("f64 NT m=%d n=256 k=256 %8.1f GFLOP/s%n", big,
                gflopsDouble(false, true, big, 256, 256, reps));
        System.out.printf("f64 TN m=256 n=256 k=%d %8.1f GFLOP/s%n", big,
                gflopsDouble(true, false, 256, 256, big, reps));
        System.out.printf("f64 NN m=20 n=20 k=20 %8.1f GFLOP/s%n",
                gflopsDouble(false, false, 20, 20, 20, reps));
    }
}
