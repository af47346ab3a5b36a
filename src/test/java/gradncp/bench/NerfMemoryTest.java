package gradncp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig;
import gradncp.meta.MetaStep;
import java.util.List;
import org.junit.jupiter.api.Test;

class NerfMemoryTest {
    // 2 views of 4 x 4 px, 4 samples per ray, width 8: dry runs take milliseconds
    private static final MetaConfig BASE = MetaConfig.defaults().withOverrides(List.of("modality=scene",
            "decoder=nerf", "resolution=4", "views=2", "raySamples=4", "width=8", "depth=3", "posFreqs=2",
            "metaBatch=1", "bootSteps=2", "contextRatio=0.25"));

    private static long peak(String method, int k) {
        NerfMemory.Row r = NerfMemory.measure(NerfMemory.at(BASE, method, k), 0, MetaStep.Mode.KEPT_GRAPH);
        assertTrue(r.fits());
        assertEquals(32, r.rays());
        return r.peakEngineBytes();
    }

    @Test
    void prunedRaysKeepLessGraphAndEveryInnerStepKeepsMore() {
        long maml2 = peak("maml", 2);
        long maml4 = peak("maml", 4);
        long gradncp2 = peak("gradncp", 2);
        long gradncp8 = peak("gradncp", 8);
        assertTrue(maml4 > maml2, maml4 + " <= " + maml2);
        assertTrue(gradncp8 > gradncp2, gradncp8 + " <= " + gradncp2);
        assertTrue(gradncp2 < maml2, "gradncp K=2 " + gradncp2 + " >= maml K=2 " + maml2);
    }

    @Test
    void theDryRunPeakIsTheComputedStepsPeak() {
        // the dry run counts exactly the tensors a real step allocates
        var setup = new MetaBench.Setup("gradncp", 4, 1, 2, 0.25, 2, 8, 3);
        MetaBench.Result real = MetaBench.runNerf(setup, 4, 2, 0, 1, MetaStep.Mode.KEPT_GRAPH);
        MetaConfig same = NerfMemory.at(BASE.withOverrides(List.of("posFreqs=4")), "gradncp", 2);
        long dry = NerfMemory.measure(same, 0, MetaStep.Mode.KEPT_GRAPH).peakEngineBytes();
        assertEquals(real.peakEngineBytes(), dry, 0.02 * dry);
    }
}
