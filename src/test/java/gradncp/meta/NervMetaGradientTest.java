package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig;
import gradncp.config.MetaConfig.Selection;
import gradncp.meta.InnerLoop.Graph;
import gradncp.meta.InnerLoop.Plan;
import gradncp.meta.InnerLoop.StepRule;
import gradncp.nn.Batch;
import gradncp.nn.Nerv;
import gradncp.nn.NervSpec;
import gradncp.nn.Params;
import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * NeRV through the one pipeline, on a tiny network (2 signals, 4 frames, 2 inner steps keeping 2
 * frames each, 888 parameters): the meta-gradient, with and without the bootstrap target, against
 * float64 central differences of the whole meta-loss in every parameter; the recomputed
 * meta-gradient; and the rescaled test-time step against the rule written out by hand.
 */
class NervMetaGradientTest {
    static final NervSpec TINY = new NervSpec(4, 3, 8, 2, new int[] {2, 2}, new int[] {2, 4, 3});

    /** Videos [2, 4, 3, 8, 8], channels first (as Nerv.forward renders them). */
    private static Tensor video() {
        return Tensor.uniform(DType.F64, new SplittableRandom(21), 0, 1, 2, 4, 3, 8, 8);
    }

    private static Batch batch() {
        return new Batch(null, Autodiff.noGrad(() -> video().permute(0, 1, 3, 4, 2)));
    }

    private static MetaConfig config(String... more) {
        return MetaGradCheck.config("innerLr=1.0", "bootLr=0.5", "contextRatio=0.5").withOverrides(List.of(more));
    }

    @Test
    void gradncpMetaGradientWithBootstrapMatchesFiniteDifferences() {
        Params theta = Nerv.init(TINY, 8, DType.F64);
        MetaConfig cfg = config("method=gradncp", "bootstrap=true");
        double[] numeric = MetaGradCheck.numeric(TINY, cfg, theta, batch());
        double err = MetaGradCheck.relative(MetaGradCheck.analytic(TINY, cfg, theta, batch()), numeric);
        double first = MetaGradCheck.relative(MetaGradCheck.analytic(TINY, cfg.withOverrides(List.of("order=first")),
                theta, batch()), numeric);
        System.out.printf("NeRV gradncp+bootstrap meta-gradient rel err: second order %.2e, first order %.2e%n",
                err, first);
        assertTrue(err < 1e-6, "second-order meta-gradient rel err " + err);
        assertTrue(first > 1e-3, "first-order should differ from the exact meta-gradient, rel err " + first);
    }

    @Test
    void mamlMetaGradientMatchesFiniteDifferences() {
        Params theta = Nerv.init(TINY, 9, DType.F64);
        double err = MetaGradCheck.relativeError(TINY, config("method=maml"), theta, batch());
        assertTrue(err < 1e-6, "maml meta-gradient rel err " + err);
    }

    @Test
    void recomputedMetaGradientEqualsKeptGraph() {
        Params theta = Nerv.init(TINY, 10, DType.F64);
        MetaConfig cfg = config("method=gradncp", "bootstrap=true");
        double[] kept = MetaGradCheck.analytic(TINY, cfg, theta, batch(), MetaStep.Mode.KEPT_GRAPH);
        double[] rec = MetaGradCheck.analytic(TINY, cfg, theta, batch(), MetaStep.Mode.RECOMPUTE);
        assertTrue(MetaGradCheck.relative(rec, kept) < 1e-12, "recomputed NeRV meta-gradient differs");
    }

    /** Mean over frames, channels and pixels of signal b's squared error on the given frames (all: null). */
    private static Tensor frameLoss(Params p, Tensor video, int[][] frames) {
        Tensor pred = Nerv.forward(TINY, p, frames); // [B, k, 3, H, W]
        Tensor target = frames == null ? video
                : video.reshape(2, 4, 192).gather(frames).reshape(2, frames[0].length, 3, 8, 8);
        return pred.sub(target).square().mean(false, 1, 2, 3, 4);
    }

    @Test
    void rescaledTestStepIsTheGradncpRule() {
        Params start = Nerv.init(TINY, 11, DType.F64).perSignal(2);
        double lr = 0.05;
        Plan plan = new Plan(1, lr, Selection.GRADNCP, 0.5, Graph.NONE, StepRule.RESCALED);
        Params got = InnerLoop.adapt(TINY, start, batch(), plan, new SplittableRandom(0)).params();
        // by hand: the pruned frames, both gradients, the per-signal ratio of global norms
        int[][] kept = Context.select(TINY, start, batch(), Selection.GRADNCP, 0.5, new SplittableRandom(0));
        Params p = start.detach().param();
        List<Tensor> gPruned = p.grad(frameLoss(p, video(), kept).sum(), Autodiff.Mode.DETACHED);
        List<Tensor> gFull = p.grad(frameLoss(p, video(), null).sum(), Autodiff.Mode.DETACHED);
        double[] scale = RescaledStepCheck.assertGradncpRule(start, got, gPruned, gFull, lr);
        assertTrue(scale[0] != 1.0 && scale[1] != 1.0, "a pruned context should change the scale");
    }
}
