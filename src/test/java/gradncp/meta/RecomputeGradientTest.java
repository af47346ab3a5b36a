package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.bench.MemoryBench;
import gradncp.bench.MetaBench;
import gradncp.config.MetaConfig;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.tensor.DType;
import org.junit.jupiter.api.Test;

/** The step-by-step recomputed meta-gradient equals the kept-graph one, with less memory. */
class RecomputeGradientTest {
    static double[] grad(MetaConfig cfg, boolean recompute) {
        Params theta = Siren.init(MetaGradCheck.SPEC, 3, DType.F64);
        return MetaGradCheck.analytic(MetaGradCheck.SPEC, cfg, theta, MetaGradCheck.batch(8),
                MetaStep.Mode.of(recompute));
    }

    @Test
    void equalsTheKeptGraphGradient() {
        for (String m : new String[] {"maml", "gradncp"}) {
            MetaConfig cfg = MetaGradCheck.config("method=" + m, "innerSteps=3");
            double err = MetaGradCheck.relative(grad(cfg, true), grad(cfg, false));
            assertTrue(err < 1e-12, m + ": recomputed meta-gradient differs, rel " + err);
        }
    }

    @Test
    void firstOrderVariantMatchesToo() {
        MetaConfig cfg = MetaGradCheck.config("method=gradncp", "order=first");
        assertTrue(MetaGradCheck.relative(grad(cfg, true), grad(cfg, false)) < 1e-12);
    }

    @Test
    void peakMemoryNoLongerGrowsWithInnerSteps() {
        MetaBench.Setup few = new MetaBench.Setup("maml", 32, 1, 2, 1.0, 0, 64, 4);
        MetaBench.Setup many = new MetaBench.Setup("maml", 32, 1, 8, 1.0, 0, 64, 4);
        long a = MemoryBench.measure(few, 0, MetaStep.Mode.RECOMPUTE).peakEngineBytes();
        long b = MemoryBench.measure(many, 0, MetaStep.Mode.RECOMPUTE).peakEngineBytes();
        assertTrue(b < 1.2 * a, "recompute peak grew with K: " + a + " -> " + b);
        long kept = MemoryBench.measure(many, 0).peakEngineBytes();
        assertTrue(kept > 2 * MemoryBench.measure(few, 0).peakEngineBytes(), "kept graph should grow with K");
    }
}
