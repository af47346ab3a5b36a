package gradncp.bench;

import gradncp.meta.MetaStep;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.optim.Adam;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import gradncp.tensor.MemoryOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Peak meta-training memory against resolution (the paper's efficiency figure), from the
 * engine's exact accounting. Steps run in a {@link MemoryOptions#dryRun() dry-run} session: every
 * tensor is allocated and counted but nothing is computed, so the peak is exact and a large configuration
 * takes seconds. A configuration over the budget stops at the first allocation that would cross
 * it and is reported as out of memory.
 */
public final class MemoryBench {
    /** One row of the figure; when !fits, peakEngineBytes is the peak before the request that would cross the budget. */
    public record Row(String method, int res, int innerSteps, double contextRatio, long peakEngineBytes, boolean fits) {}

    private MemoryBench() {}

    /** The paper's three curves: maml K=4 and K=16 on the full context, gradncp K=16 gamma 0.25 L=5. */
    public static List<MetaBench.Setup> curves(int res, int width, int depth) {
        return List.of(new MetaBench.Setup("maml", res, 1, 4, 1.0, 0, width, depth),
                new MetaBench.Setup("maml", res, 1, 16, 1.0, 0, width, depth),
                new MetaBench.Setup("gradncp", res, 1, 16, 0.25, 5, width, depth));
    }

    public static List<Row> table(int[] resolutions, int width, int depth, long budget) {
        List<Row> rows = new ArrayList<>();
        for (int res : resolutions) {
            for (MetaBench.Setup s : curves(res, width, depth)) {
                rows.add(measure(s, budget));
            }
        }
        return rows;
    }

    /**
     * Peak engine bytes of one outer step (B = setup.batch()) in a dry-run session, with the step's
     * own tensors under budget bytes (0 = no budget); the parameters, optimizer state and batch
     * made before the step do not count against it.
     */
    public static Row measure(MetaBench.Setup s, long budget) {
        return measure(s, budget, MetaStep.Mode.KEPT_GRAPH);
    }

    /**
     * The largest full-context maml K in [1, maxK] whose one-step peak (B = 1) stays within budget bytes,
     * as its row (fits == false and innerSteps == 1 when not even K = 1 fits). The peak grows with K (one
     * kept inner step more each), so the scan stops at the first K over the budget.
     */
    public static Row largestMaml(int res, int width, int depth, long budget, int maxK, MetaStep.Mode mode) {
        Row best = null;
        for (int k = 1; k <= maxK; k++) {
            Row r = measure(new MetaBench.Setup("maml", res, 1, k, 1.0, 0, width, depth), budget, mode);
            if (!r.fits()) {
                return best != null ? best : r;
            }
            best = r;
        }
        return best;
    }

    /** The same with the given meta-gradient mode (kept graph or recompute). */
    public static Row measure(MetaBench.Setup s, long budget, MetaStep.Mode mode) {
        try (Memory.Scope dry = Memory.session(MemoryOptions.dryRun())) {
            Params[] theta = {Siren.init(s.spec(), 0, DType.F32)};
            Adam adam = new Adam(1e-5, theta[0]);
            var batch = MetaBench.syntheticBatch(s.res(), s.batch(), 1);
            MemoryOptions step = budget > 0 ? MemoryOptions.budget(budget) : MemoryOptions.unlimited();
            try (Memory.Scope scope = Memory.session(step)) { // a dry run too, inside the dry session
                try {
                    MetaStep.run(s.spec(), theta, adam, batch, s.config(), new SplittableRandom(0), mode);
                    return new Row(s.method(), s.res(), s.innerSteps(), s.contextRatio(), scope.peakBytes(), true);
                } catch (Memory.OutOfBudget e) {
                    return new Row(s.method(), s.res(), s.innerSteps(), s.contextRatio(), scope.peakBytes(), false);
                }
            }
        } finally {
            Memory.clearPool();
            System.gc();
        }
    }
}
