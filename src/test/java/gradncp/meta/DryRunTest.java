package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.bench.MemoryBench;
import gradncp.bench.MetaBench;
import gradncp.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The dry-run memory accounting equals the real run's, and the budget reports instead of crashing. */
class DryRunTest {
    static final MetaBench.Setup SETUP = new MetaBench.Setup("gradncp", 16, 2, 3, 0.25, 2, 32, 4);

    @Test
    void dryRunPeakEqualsRealPeak() {
        long dry = MemoryBench.measure(SETUP, 0).peakEngineBytes();
        long real = MetaBench.run(SETUP, 0, 1).peakEngineBytes();
        assertEquals(real, dry);
        assertTrue(real > 0);
    }

    @Test
    void overBudgetIsReportedNotThrown() {
        long need = MemoryBench.measure(SETUP, 0).peakEngineBytes();
        MemoryBench.Row r = MemoryBench.measure(SETUP, need / 2);
        assertFalse(r.fits());
        assertTrue(MemoryBench.measure(SETUP, need + 1).fits());
    }

    @Test
    void codeAfterADryRunComputesAgain() {
        MemoryBench.measure(SETUP, 0);
        Tensor one = Tensor.of(new float[] {1f}, 1);
        assertEquals(3f, one.add(one.scale(2)).toFloatArray()[0]);
    }
}
