package gradncp.bench;

import gradncp.config.MetaConfig;
import gradncp.meta.MetaStep;
import gradncp.nn.Batch;
import gradncp.nn.Decoder;
import gradncp.nn.Decoders;
import gradncp.nn.Params;
import gradncp.optim.Adam;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import gradncp.tensor.MemoryOptions;
import gradncp.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Peak memory of one classification meta-step (ALGORITHM.md, Classification) against the
 * number of shots, maml (full support) and gradncp (pruned support), measured like
 * {@link MemoryBench}: a dry-run session allocates and counts every tensor of the step without
 * computing, so the peak is the engine's exact figure. Episodes are synthetic (the values do
 * not change the memory).
 */
public final class ClassifierMemory {
    /** One measurement: the method, the episode's shape, the peak bytes (or the peak before crossing the budget). */
    public record Row(String method, int ways, int shots, double contextRatio, long peakEngineBytes, boolean fits) {}

    private ClassifierMemory() {}

    /** A config of method at shots, from base (its ways, queries, network and inner loop). */
    public static MetaConfig at(MetaConfig base, String method, int shots) {
        boolean maml = method.equals("maml");
        return base.withOverrides(List.of("method=" + method, "shots=" + shots,
                "selection=" + (maml ? "full" : "gradncp"), "bootstrap=" + !maml));
    }

    public static Row measure(MetaConfig cfg, long budget, MetaStep.Mode mode) {
        Decoder decoder = Decoders.of(cfg, 2, cfg.ways());
        try (Memory.Scope dry = Memory.session(MemoryOptions.dryRun())) {
            Params[] theta = {decoder.init(0, DType.F32)};
            Adam adam = new Adam(cfg.outerLr(), theta[0]);
            Batch batch = episode(cfg);
            MemoryOptions step = budget > 0 ? MemoryOptions.budget(budget) : MemoryOptions.unlimited();
            double ratio = cfg.method() == MetaConfig.Method.MAML ? 1.0 : cfg.contextRatio();
            try (Memory.Scope scope = Memory.session(step)) {
                try {
                    MetaStep.run(decoder, theta, adam, batch, cfg, new SplittableRandom(0), mode);
                    return new Row(cfg.method().name().toLowerCase(), cfg.ways(), cfg.shots(), ratio, scope.peakBytes(),
                            true);
                } catch (Memory.OutOfBudget e) {
                    return new Row(cfg.method().name().toLowerCase(), cfg.ways(), cfg.shots(), ratio, scope.peakBytes(),
                            false);
                }
            }
        } finally {
            Memory.clearPool();
            System.gc();
        }
    }

    /** metaBatch synthetic episodes of cfg's shape (random images, labels class by class). */
    static Batch episode(MetaConfig cfg) {
        SplittableRandom r = new SplittableRandom(1);
        int b = cfg.metaBatch();
        int s = cfg.resolution();
        return Batch.episode(Tensor.uniform(DType.F32, r, 0, 1, b, cfg.ways() * cfg.shots(), cfg.channels(), s, s),
                labels(b, cfg.ways(), cfg.shots()), Batch.episode(Tensor.uniform(DType.F32, r, 0, 1, b,
                        cfg.ways() * cfg.queries(), cfg.channels(), s, s), labels(b, cfg.ways(), cfg.queries()), null));
    }

    private static Tensor labels(int b, int ways, int per) {
        double[] y = new double[b * ways * per * ways];
        for (int i = 0; i < b * ways * per; i++) {
            y[i * ways + (i % (ways * per)) / per] = 1;
        }
        return Tensor.of(DType.F32, y, b, ways * per, ways);
    }
}
