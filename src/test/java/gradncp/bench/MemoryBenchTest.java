package gradncp.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.meta.MetaStep;
import org.junit.jupiter.api.Test;

class MemoryBenchTest {
    @Test
    void largestMamlIsTheLastKWithinTheBudget() {
        // small SIREN and image: dry runs take milliseconds. The budget is gradncp K=16 gamma 0.25's own peak.
        int res = 16;
        int width = 32;
        int depth = 3;
        long budget = MemoryBench.measure(new MetaBench.Setup("gradncp", res, 1, 16, 0.25, 5, width, depth), 0)
                .peakEngineBytes();
        MemoryBench.Row m = MemoryBench.largestMaml(res, width, depth, budget, 16, MetaStep.Mode.KEPT_GRAPH);
        assertTrue(m.fits());
        assertTrue(m.peakEngineBytes() <= budget);
        int k = m.innerSteps();
        assertTrue(k >= 1 && k < 16, "K " + k);
        MemoryBench.Row next = MemoryBench.measure(
                new MetaBench.Setup("maml", res, 1, k + 1, 1.0, 0, width, depth), budget);
        assertFalse(next.fits(), "maml K=" + (k + 1) + " also fits " + budget + " bytes");
    }
}
