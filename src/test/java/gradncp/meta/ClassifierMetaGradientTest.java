package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig;
import gradncp.config.MetaConfig.Selection;
import gradncp.meta.InnerLoop.Graph;
import gradncp.meta.InnerLoop.Plan;
import gradncp.meta.InnerLoop.StepRule;
import gradncp.nn.Batch;
import gradncp.nn.Conv4Spec;
import gradncp.nn.Elements;
import gradncp.nn.Params;
import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The classifier through the one pipeline (ALGORITHM.md, Classification), on a tiny Conv-4 (16 px,
 * width 2, 3 ways, 159 parameters) and 2 episodes of 2 shots and 1 query per class: the
 * meta-gradient of the query loss, with pruning and the bootstrap target on the full support set,
 * against float64 central differences of the whole meta-loss; the recomputed meta-gradient; the
 * bootstrap target and the rescaled test step.
 */
class ClassifierMetaGradientTest {
    static final Conv4Spec TINY = new Conv4Spec(1, 16, 2, 3, 1);

    private static Tensor onehot(int b, int k, int ways) {
        double[] y = new double[b * k * ways];
        for (int i = 0; i < b * k; i++) {
            y[i * ways + (i % k) % ways] = 1;
        }
        return Tensor.of(y, b, k, ways);
    }

    static Batch episode() {
        SplittableRandom r = new SplittableRandom(31);
        Tensor support = Tensor.uniform(DType.F64, r, 0, 1, 2, 6, 1, 16, 16);
        Tensor query = Tensor.uniform(DType.F64, r, 0, 1, 2, 3, 1, 16, 16);
        return Batch.episode(support, onehot(2, 6, 3), Batch.episode(query, onehot(2, 3, 3), null));
    }

    private static MetaConfig config(String... more) {
        return MetaGradCheck.config("innerLr=0.5", "bootLr=0.5", "contextRatio=0.5", "decoder=conv4",
                "modality=classification", "ways=3", "shots=2", "queries=1").withOverrides(List.of(more));
    }

    @Test
    void gradncpMetaGradientWithPruningAndBootstrapMatchesFiniteDifferences() {
        Params theta = TINY.init(3, DType.F64);
        MetaConfig cfg = config("method=gradncp", "bootstrap=true");
        double[] numeric = MetaGradCheck.numeric(TINY, cfg, theta, episode());
        double err = MetaGradCheck.relative(MetaGradCheck.analytic(TINY, cfg, theta, episode()), numeric);
        assertTrue(err < 1e-6, "classifier gradncp+bootstrap meta-gradient rel err " + err);
        double[] kept = MetaGradCheck.analytic(TINY, cfg, theta, episode(), MetaStep.Mode.KEPT_GRAPH);
        double[] rec = MetaGradCheck.analytic(TINY, cfg, theta, episode(), MetaStep.Mode.RECOMPUTE);
        assertTrue(MetaGradCheck.relative(rec, kept) < 1e-12, "recomputed classifier meta-gradient differs");
    }

    @Test
    void mamlMetaGradientMatchesFiniteDifferences() {
        Params theta = TINY.init(4, DType.F64);
        // one inner step: the pruned two-step check above covers the longer chain
        double err = MetaGradCheck.relativeError(TINY, config("method=maml", "innerSteps=1"), theta, episode());
        assertTrue(err < 1e-6, "classifier maml meta-gradient rel err " + err);
    }

    @Test
    void outerLossIsOnTheQuerySetAndPruningKeepsHalfTheSupport() {
        Params theta = TINY.init(5, DType.F64);
        Batch e = episode();
        MetaConfig cfg = config("method=gradncp", "bootstrap=false", "innerSteps=1");
        int[][] kept = Context.select(TINY, theta.perSignal(2), e, Selection.GRADNCP, 0.5, new SplittableRandom(1));
        assertTrue(kept[0].length == 3 && kept[1].length == 3, "keeps floor(0.5 * 6) examples per episode");
        double got = MetaObjective.loss(TINY, theta.param(), e, cfg, new SplittableRandom(1), null).loss().item();
        // by hand: one SGD step on the kept support examples, then the query cross-entropy
        Params p = theta.perSignal(2).param();
        Tensor inner = TINY.loss(TINY.forward(p, e, Elements.of(kept, 6)), e.targets(Elements.of(kept, 6)));
        Params adapted = p.minus(0.5, p.grad(inner.sum(), Autodiff.Mode.DETACHED));
        Batch q = e.outer();
        double want = TINY.loss(TINY.forward(adapted, q, Elements.all(3)), q.values()).mean().item();
        assertTrue(Math.abs(got - want) < 1e-12, "outer loss " + got + " vs query loss by hand " + want);
        double onSupport = TINY.loss(TINY.forward(adapted, e, Elements.all(6)), e.values()).mean().item();
        assertNotEquals(onSupport, got, "the outer loss must not be the support loss");
    }

    @Test
    void rescaledTestStepUsesTheFullSupportDirectionWithThePrunedMagnitude() {
        Params start = TINY.init(6, DType.F64).perSignal(2);
        Batch e = episode();
        double lr = 0.1;
        Plan plan = new Plan(1, lr, Selection.GRADNCP, 0.5, Graph.NONE, StepRule.RESCALED);
        Params got = InnerLoop.adapt(TINY, start, e, plan, new SplittableRandom(0)).params();
        int[][] kept = Context.select(TINY, start, e, Selection.GRADNCP, 0.5, new SplittableRandom(0));
        Params p = start.detach().param();
        List<Tensor> gPruned = p.grad(InnerLoop.contextLoss(TINY, p, e, kept).sum(), Autodiff.Mode.DETACHED);
        List<Tensor> gFull = p.grad(InnerLoop.contextLoss(TINY, p, e, null).sum(), Autodiff.Mode.DETACHED);
        RescaledStepCheck.assertGradncpRule(start, got, gPruned, gFull, lr);
    }
}
