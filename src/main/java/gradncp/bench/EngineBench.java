package gradncp.bench;

import gradncp.data.Grid;
import gradncp.meta.InnerLoop;
import gradncp.nn.Batch;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.nn.SirenSpec;
import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Engine throughput in float32: GEMM GFLOP/s and SIREN forward+backward time, measured the way
 * the reference's {@code bench --methods fwdbwd} measures it (per-signal copies of shared
 * parameters, per-signal MSE summed, gradient with respect to the shared parameters).
 */
public final class EngineBench {
    /** The CelebA SIREN: 2 -> 4 hidden layers of 256 -> 3, w0 30. */
    public static final SirenSpec CELEBA = new SirenSpec(2, 256, 5, 3, 30.0);

    /** Median and minimum milliseconds of the timed repeats, and the engine peak during them. */
    public record Timing(double medianMs, double minMs, long peakEngineBytes) {}

    private EngineBench() {}

    /**
     * GFLOP/s of C = A B for A [m, k], B [k, n] ({@code bench engine} uses [32768x256]x[256x256],
     * one hidden layer of a batch of two 128x128 signals), {best, median} of at least
     * MATMUL_REPEATS calls after a warm-up long enough for C2 to compile the kernel.
     */
    public static double[] matmulGflops(int m, int n, int k, int repeats) {
        return gradncp.tensor.kernel.GemmBench.gflopsStats(false, false, m, n, k,
                Math.max(MATMUL_REPEATS, repeats));
    }

    /** The fewest timed matmul calls per measurement; more only when the caller asks. */
    public static final int MATMUL_REPEATS = 30;

    /** SIREN forward + backward on batch signals of res x res points. */
    public static Timing sirenForwardBackward(SirenSpec spec, int res, int batch, int warmup, int repeats) {
        Params theta = Siren.init(spec, 0, DType.F32);
        SplittableRandom r = new SplittableRandom(0);
        int n = res * res;
        float[] y = new float[batch * n * spec.outDim()];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextFloat();
        }
        Batch b = new Batch(Grid.image(res, res, DType.F32), Tensor.of(y, batch, n, spec.outDim()));
        double[] ms = new double[repeats];
        long peak = 0;
        for (int it = 0; it < warmup + repeats; it++) {
            long t0 = System.nanoTime();
            long stepPeak;
            try (Memory.Scope scope = Memory.scope()) {
                Params leaves = theta.param();
                Tensor loss = InnerLoop.contextLoss(spec, leaves.perSignal(batch), b, null).sum();
                leaves.grad(loss, Autodiff.Mode.DETACHED);
                stepPeak = scope.peakBytes();
            }
            double dt = (System.nanoTime() - t0) / 1e6;
            if (it >= warmup) {
                ms[it - warmup] = dt;
                peak = Math.max(peak, stepPeak);
            }
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return new Timing(MetaBench.median(sorted), sorted[0], peak);
    }

    /** FLOPs of one SIREN forward+backward (matmuls only), as the reference counts them. */
    public static double sirenFlops(SirenSpec spec, long points) {
        List<Long> ms = new ArrayList<>();
        for (int l = 0; l < spec.depth(); l++) {
            ms.add(2L * spec.layerIn(l) * spec.layerOut(l));
        }
        long fwd = ms.stream().mapToLong(Long::longValue).sum();
        long bwd = fwd + ms.subList(1, ms.size()).stream().mapToLong(Long::longValue).sum();
        return (double) (fwd + bwd) * points;
    }
}
