package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig.Selection;
import gradncp.data.Grid;
import gradncp.meta.InnerLoop.Graph;
import gradncp.meta.InnerLoop.Plan;
import gradncp.meta.InnerLoop.StepRule;
import gradncp.nn.Batch;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.nn.SirenSpec;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Detached steps keep no graph (the peak of 16 steps is about that of one); kept steps keep what they must. */
class DetachedMemoryTest {
    static final SirenSpec SPEC = new SirenSpec(2, 32, 4, 3, 30.0);

    /** Peak bytes of steps inner steps, and bytes still alive after them (the graph, when kept). */
    record Usage(long peak, long kept) {}

    static Usage run(int steps, Graph graph) {
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
                return new Usage(step.peakBytes(), step.liveBytes());
            }
        }
    }

    static long peakOf(int steps, Graph graph) {
        return run(steps, graph).peak();
    }

    static long keptAfter(int steps, Graph graph) {
        return run(steps, graph).kept();
    }

    /**
     * A kept second-order inner step holds three [B, N, width] tensors per hidden SIREN layer: the
     * activation, the pre-activation and the inner backward signal. The fourth value the outer
     * backward reads, sin'(w0 z) g, is recomputed from two of them instead of kept.
     */
    @Test
    void aKeptSecondOrderStepHoldsThreeTensorsPerHiddenLayer() {
        long perStep = keptAfter(3, Graph.SECOND_ORDER) - keptAfter(2, Graph.SECOND_ORDER);
        long tensor = 2L * 1024 * SPEC.width() * 4;
        int hidden = SPEC.depth() - 1;
        double perLayer = (double) perStep / (hidden * tensor);
        assertTrue(perLayer >= 3.0 && perLayer < 3.5,
                "a kept inner step holds " + perLayer + " (" + perStep + " B)" + " [B, N, width] tensors per hidden layer (expected 3 and a little)");
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
