package gradncp.run;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig;
import gradncp.meta.MetaStep;
import gradncp.nn.Decoder;
import gradncp.nn.Decoders;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The heap pre-check: its linear extrapolation in points agrees with the exact dry run, and it refuses with a figure. */
class MemoryCheckTest {
    static final MetaConfig CFG = MetaConfig.defaults().withOverrides(List.of("width=32", "depth=3", "metaBatch=2",
            "innerSteps=2", "bootSteps=1"));

    @Test
    void extrapolationFromSmallDryRunsMatchesTheExactPeak() {
        Decoder d = Decoders.of(CFG, 2, 3);
        MetaStep.Mode m = MetaStep.Mode.KEPT_GRAPH;
        long a = MemoryCheck.stepBytes(CFG, d, 2, 1024, 3, m, 0);
        long b = MemoryCheck.stepBytes(CFG, d, 2, 2048, 3, m, 0);
        long exact = MemoryCheck.stepBytes(CFG, d, 2, 16384, 3, m, 0);
        long estimate = b + (b - a) * (16384 - 2048) / 1024;
        assertEquals(exact, estimate, 0.02 * exact, "estimate " + estimate + " vs exact " + exact);
    }

    @Test
    void refusesWithTheNeedAndTheXmxThatHoldsIt() {
        Decoder d = Decoders.of(CFG, 2, 3);
        var e = assertThrows(IllegalArgumentException.class, () -> MemoryCheck.requireFits(CFG, d, 2, 128 * 128, 3,
                0, MetaStep.Mode.KEPT_GRAPH, 300L << 20));
        assertTrue(e.getMessage().contains("does not fit the heap") && e.getMessage().matches(".*-Xmx\\d+g.*"),
                e.getMessage());
        assertDoesNotThrow(() -> MemoryCheck.requireFits(CFG, d, 2, 128 * 128, 3, 0, MetaStep.Mode.KEPT_GRAPH,
                8L << 30));
    }
}
