package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.data.Grid;
import gradncp.meta.InnerLoop.Graph;
import gradncp.meta.InnerLoop.Plan;
import gradncp.meta.InnerLoop.StepRule;
import gradncp.meta.MetaConfig.Selection;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.nn.SirenSpec;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Detached steps keep no graph: the peak of 16 steps is about that of one. */
class DetachedMemoryTest {
    static final SirenSpec SPEC = new SirenSpec(2, 32, 4, 3, 30.0);

    static long peakOf(int steps, Graph graph) {
        try (Memory.Scope scope = Memory.scope()) {
            SplittableRandom r = new SplittableRandom(2);
            float[] y = new float[2 * 1024 * 3];
            for (int i = 0; i < y.length; i++) {
                y[i] = r.nextFloat();
            }
            Batch b = new Batch(Grid.image(32, 32, DType.F32), Tensor.of(y, 2, 1024, 3));
            Params start = Siren.init(SPEC, 1, DType.F32).param().perSignal(2);
            try (Memory.Scope step = Memory.scope()) {
                InnerLoop.adapt(SPEC, start, b, new Plan(steps, 0.01, Selection.FULL, 1.0, graph, StepRule.PLAIN), r);
                return step.peakBytes();
            }
        }
    }

    @Test
    void sixteenDetachedStepsPeakLikeOne() {
        long one = peakOf(1, Graph.NONE);
        long sixteen = peakOf(16, Graph.NONE);
        assertTrue(sixteen <= one * 1.15, "16 detached steps peak " + sixteen + " B vs one step " + one + " B");
    }

    @Test
    void secondOrderStepsDoKeepTheirGraph() {
        long one = peakOf(1, Graph.SECOND_ORDER);
        long four = peakOf(4, Graph.SECOND_ORDER);
        assertTrue(four > 3 * one, "second-order graph should grow with steps: " + four + " vs " + one);
    }
}
