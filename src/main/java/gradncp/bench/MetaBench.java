package gradncp.bench;

import gradncp.config.MetaConfig;
import gradncp.data.Grid;
import gradncp.data.Scene;
import gradncp.data.ToyCars;
import gradncp.meta.MetaStep;
import gradncp.nn.Batch;
import gradncp.nn.Decoder;
import gradncp.nn.NerfSpec;
import gradncp.nn.Params;
import gradncp.nn.SirenSpec;
import gradncp.optim.Adam;
import gradncp.tensor.DType;
import gradncp.tensor.FlopCounter;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Time and memory of one meta-training outer step (meta-loss, meta-gradient, clip, Adam) on
 * synthetic res x res RGB signals, float32. FLOPs are counted by the engine (every matrix
 * product executed), not estimated.
 */
public final class MetaBench {
    /** One configuration. */
    public record Setup(String method, int res, int batch, int innerSteps, double contextRatio, int bootSteps,
            int width, int depth) {
        public MetaConfig config() {
            boolean maml = method.equals("maml");
            return MetaConfig.defaults().withOverrides(List.of("method=" + method, "innerSteps=" + innerSteps,
                    "contextRatio=" + contextRatio, "bootSteps=" + bootSteps, "width=" + width, "depth=" + depth,
                    "metaBatch=" + batch, "selection=" + (maml ? "full" : "gradncp"), "bootstrap=" + !maml));
        }

        public SirenSpec spec() {
            return new SirenSpec(2, width, depth, 3, 30.0);
        }
    }

    /** Median/min ms per step, engine peak (bytes above what was alive before the step), RSS peak, FLOPs. */
    public record Result(Setup setup, double msPerStep, double minMs, long peakEngineBytes, long peakRssBytes,
            long flopsPerStep) {
        public double gflops() {
            return flopsPerStep / msPerStep / 1e6;
        }
    }

    private MetaBench() {}

    public static Batch syntheticBatch(int res, int batch, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] y = new float[batch * res * res * 3];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextFloat();
        }
        return new Batch(Grid.image(res, res, DType.F32), Tensor.of(y, batch, res * res, 3));
    }

    /**
     * One outer step inside its own memory scope; returns the scope's exact peak (all tensors the
     * step allocated, including the new parameters it hands back).
     */
    static long step(Decoder spec, Params[] theta, Adam adam, Batch batch, MetaConfig cfg, long seed,
            MetaStep.Mode mode) {
        try (Memory.Scope scope = Memory.scope()) {
            MetaStep.run(spec, theta, adam, batch, cfg, new SplittableRandom(seed), mode);
            theta[0].keep(scope);
            return scope.peakBytes();
        }
    }

    /** The median of sorted values, the mean of the middle two for an even count (as Python's). */
    static double median(double[] sorted) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        int h = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[h] : 0.5 * (sorted[h - 1] + sorted[h]);
    }

    public static Result run(Setup s, int warmup, int repeats) {
        return run(s, warmup, repeats, MetaStep.Mode.KEPT_GRAPH);
    }

    /** Times warmup + repeats outer steps of the setup with the given meta-gradient mode. */
    public static Result run(Setup s, int warmup, int repeats, MetaStep.Mode mode) {
        return run(s, s.spec(), syntheticBatch(s.res(), s.batch(), 1), warmup, repeats, mode);
    }

    /**
     * The same for a NeRF (ALGORITHM.md, NeRF) of the setup's width and depth with the given
     * samples per ray, on the rays of {@code views} built-in-car views of res x res pixels with
     * random target colours (the step's cost does not depend on the colours).
     */
    public static Result runNerf(Setup s, int samples, int views, int warmup, int repeats, MetaStep.Mode mode) {
        return run(s, nerfSpec(s, samples), nerfBatch(s.res(), views, s.batch()), warmup, repeats, mode);
    }

    /** The NeRF of the setup's width and depth with the given samples per ray (4 position frequencies, white). */
    static NerfSpec nerfSpec(Setup s, int samples) {
        return new NerfSpec(s.width(), s.depth(), samples, 4, 0, true);
    }

    /**
     * batch signals of the rays of {@code views} built-in-car views of res x res pixels, with
     * random target colours (a step's cost does not depend on the colours).
     */
    static Batch nerfBatch(int res, int views, int batch) {
        double[][] cams = ToyCars.cameras(views);
        int per = res * res * 8;
        double[] rays = new double[views * per];
        for (int v = 0; v < views; v++) {
            System.arraycopy(Scene.rays(cams[v], res, res, ToyCars.focal(res), ToyCars.NEAR, ToyCars.FAR),
                    0, rays, v * per, per);
        }
        int n = views * res * res;
        SplittableRandom r = new SplittableRandom(1);
        float[] y = new float[batch * n * 3];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextFloat();
        }
        return new Batch(Tensor.of(DType.F32, rays, n, 8), Tensor.of(y, batch, n, 3));
    }

    private static Result run(Setup s, Decoder spec, Batch batch, int warmup, int repeats, MetaStep.Mode mode) {
        MetaConfig cfg = s.config();
        Params[] theta = {spec.init(0, DType.F32)};
        Adam adam = new Adam(cfg.outerLr(), theta[0]);
        double[] ms = new double[repeats];
        long peak = 0;
        long flops = 0;
        ProcessStats.resetPeak();
        for (int it = 0; it < warmup + repeats; it++) {
            FlopCounter.reset();
            long t0 = System.nanoTime();
            long stepPeak = step(spec, theta, adam, batch, cfg, it, mode);
            double dt = (System.nanoTime() - t0) / 1e6;
            if (it >= warmup) {
                ms[it - warmup] = dt;
                peak = Math.max(peak, stepPeak);
                flops = FlopCounter.matmulFlops();
            }
        }
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return new Result(s, MetaBench.median(sorted), sorted[0], peak, ProcessStats.peakRssBytes(), flops);
    }
}
