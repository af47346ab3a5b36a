package gradncp.bench;

import gradncp.config.MetaConfig;
import gradncp.meta.MetaStep;
import gradncp.nn.Decoder;
import gradncp.nn.Decoders;
import gradncp.nn.Params;
import gradncp.optim.Adam;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import gradncp.tensor.MemoryOptions;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Peak memory of one NeRF meta-training step (ALGORITHM.md, NeRF) against the number of inner
 * steps, maml (every ray of the scene's views in every inner step) and gradncp (the contextRatio
 * highest-score rays), measured like {@link MemoryBench}: a dry-run session allocates and counts
 * every tensor of the step without computing, so the peak is the engine's exact figure. The rays
 * are those of the built-in cars' cameras; the colours are random (they do not change the memory).
 */
public final class NerfMemory {
    /** One measurement; when !fits, peakEngineBytes is the peak before the request that would cross the budget. */
    public record Row(String method, int rays, int innerSteps, double contextRatio, long peakEngineBytes,
            boolean fits) {}

    private NerfMemory() {}

    /** A config of method with K inner steps, from base (its scene, network, batch and bootstrap). */
    public static MetaConfig at(MetaConfig base, String method, int innerSteps) {
        boolean maml = method.equals("maml");
        return base.withOverrides(List.of("modality=scene", "decoder=nerf", "method=" + method,
                "innerSteps=" + innerSteps, "selection=" + (maml ? "full" : "gradncp"), "bootstrap=" + !maml));
    }

    public static Row measure(MetaConfig cfg, long budget, MetaStep.Mode mode) {
        Decoder decoder = Decoders.of(cfg, 8, 3);
        int rays = cfg.views() * cfg.resolution() * cfg.resolution();
        String method = cfg.method().name().toLowerCase();
        double ratio = cfg.method() == MetaConfig.Method.MAML ? 1.0 : cfg.contextRatio();
        try (Memory.Scope dry = Memory.session(MemoryOptions.dryRun())) {
            Params[] theta = {decoder.init(0, DType.F32)};
            Adam adam = new Adam(cfg.outerLr(), theta[0]);
            var batch = MetaBench.nerfBatch(cfg.resolution(), cfg.views(), cfg.metaBatch());
            MemoryOptions step = budget > 0 ? MemoryOptions.budget(budget) : MemoryOptions.unlimited();
            try (Memory.Scope scope = Memory.session(step)) { // a dry run too, inside the dry session
                try {
                    MetaStep.run(decoder, theta, adam, batch, cfg, new SplittableRandom(0), mode);
                    return new Row(method, rays, cfg.innerSteps(), ratio, scope.peakBytes(), true);
                } catch (Memory.OutOfBudget e) {
                    return new Row(method, rays, cfg.innerSteps(), ratio, scope.peakBytes(), false);
                }
            }
        } finally {
            Memory.clearPool();
            System.gc();
        }
    }
}
