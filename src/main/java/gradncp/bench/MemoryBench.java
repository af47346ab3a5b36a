package gradncp.bench;

import gradncp.meta.MetaStep;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.optim.Adam;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Peak meta-training memory against resolution (the paper's efficiency figure), from the
 * engine's exact accounting. Steps run in {@link Memory#setDryRun dry-run} mode: every tensor is
 * allocated and counted but nothing is computed, so the peak is exact and a large configuration
 * takes seconds. A configuration over the budget stops at the first allocation that would cross
 * it and is reported as out of memory.
 */
public final class MemoryBench {
    /** One row of the figure; peakEngineBytes is the budget-crossing request's total when !fits. */
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

    /** Peak engine bytes of one outer step (B = setup.batch()), dry run, under budget (0 = none). */
    public static Row measure(MetaBench.Setup s, long budget) {
        return measure(s, budget, MetaStep.Mode.KEPT_GRAPH);
    }

    /** The same with the given meta-gradient mode. */
    public static Row measure(MetaBench.Setup s, long budget, MetaStep.Mode mode) {
        long before = Memory.budget();
        Memory.setDryRun(true);
        try {
            Params[] theta = {Siren.init(s.spec(), 0, DType.F32)};
            Adam adam = new Adam(1e-5, theta[0]);
            var batch = MetaBench.syntheticBatch(s.res(), s.batch(), 1);
            long live0 = Memory.liveBytes();
            Memory.setBudget(budget > 0 ? live0 + budget : 0); // the budget covers the step's own tensors
            try (Memory.Scope scope = Memory.scope()) {
                try {
                    MetaStep.run(s.spec(), theta, adam, batch, s.config(), new SplittableRandom(0), mode);
                    return new Row(s.method(), s.res(), s.innerSteps(), s.contextRatio(), scope.peakBytes(), true);
                } catch (Memory.OutOfBudget e) {
                    return new Row(s.method(), s.res(), s.innerSteps(), s.contextRatio(), scope.peakBytes(), false);
                }
            }
        } finally {
            Memory.setDryRun(false);
            Memory.setBudget(before);
            Memory.clearPool();
            System.gc();
        }
    }
}
