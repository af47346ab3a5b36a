package gradncp.meta;

import gradncp.config.MetaConfig.Method;
import gradncp.config.MetaConfig.Order;
import gradncp.config.MetaConfig.Selection;
import gradncp.config.MetaConfig;
import gradncp.meta.InnerLoop.Graph;
import gradncp.meta.InnerLoop.Plan;
import gradncp.meta.InnerLoop.StepRule;
import gradncp.nn.Batch;
import gradncp.nn.Params;
import gradncp.nn.Decoder;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The outer objective of one meta-batch (GradNCP Algorithm 1; ALGORITHM.md, Outer step). The inner
 * loop lives inside it, as in functa's loss function.
 *
 * <ul>
 *   <li>maml (Learnit): K full-context steps; loss = mean_b MSE(theta_K^b; full).
 *   <li>gradncp: K steps on the context re-selected at every step; bootstrap target theta_boot =
 *       L first-order full-context steps at bootLr from theta_K, detached; loss = mean_b
 *       MSE(theta_K^b; full) + lambda mean_b ||theta_K^b - sg(theta_boot^b)||_2 (global,
 *       non-squared norm per signal).
 * </ul>
 */
public final class MetaObjective {
    /** The loss (a graph scalar) and its parts, for logging; boot is the target used (or null). */
    public record Outer(Tensor loss, double mseOut, double distance, double innerLast, Params boot) {}

    private MetaObjective() {}

    /**
     * theta_boot: L first-order full-context steps at bootLr from theta_K, detached (ALGORITHM.md,
     * Bootstrap target).
     */
    public static Params bootstrapTarget(Decoder decoder, Params thetaK, Batch batch, MetaConfig cfg,
            SplittableRandom rng) {
        Plan bootPlan = new Plan(cfg.bootSteps(), cfg.bootLr(), Selection.FULL, 1.0, Graph.NONE, StepRule.PLAIN);
        return InnerLoop.adapt(decoder, thetaK.detach(), batch, bootPlan, rng).params().detach();
    }

    /**
     * mean_b ||theta_K^b - sg(target^b)||_2: the global, non-squared norm per signal (ALGORITHM.md,
     * Outer loss).
     */
    public static Tensor distance(Params thetaK, Params target) {
        List<Tensor> diff = new ArrayList<>();
        for (int i = 0; i < thetaK.size(); i++) {
            diff.add(thetaK.get(i).sub(target.get(i).detach()));
        }
        return Params.globalNorm(diff).mean();
    }

    /** The inner plan of a method under cfg. */
    public static Plan trainPlan(MetaConfig cfg) {
        boolean pruned = cfg.method() == Method.GRADNCP;
        Graph graph = cfg.order() == Order.SECOND ? Graph.SECOND_ORDER : Graph.FIRST_ORDER;
        return new Plan(cfg.innerSteps(), cfg.innerLr(), pruned ? cfg.selection() : Selection.FULL,
                pruned ? cfg.contextRatio() : 1.0, graph, StepRule.PLAIN);
    }

    /**
     * theta0: shared graph leaves. fixedBoot: a bootstrap target to use instead of computing one
     * (finite-difference checks hold it fixed; ALGORITHM.md, Gradient checks); null in training.
     */
    public static Outer loss(Decoder decoder, Params theta0, Batch batch, MetaConfig cfg, SplittableRandom rng,
            Params fixedBoot) {
        if (cfg.method() == Method.RANDOM) {
            throw new IllegalArgumentException("method 'random' has no meta-objective: it is the SIREN init itself");
        }
        Params start = theta0.perSignal(batch.size());
        InnerLoop.Adapted adapted = InnerLoop.adapt(decoder, start, batch, trainPlan(cfg), rng);
        Outer o = outerAt(decoder, adapted.params(), batch, cfg, rng, fixedBoot);
        return new Outer(o.loss(), o.mseOut(), o.distance(), adapted.lastLoss(), o.boot());
    }

    /** The outer loss at adapted per-signal parameters thetaK (innerLast is NaN here). */
    public static Outer outerAt(Decoder decoder, Params thetaK, Batch batch, MetaConfig cfg, SplittableRandom rng,
            Params fixedBoot) {
        // the outer target: the full signal for a field, the held-out query set for an episode
        Tensor mse = InnerLoop.contextLoss(decoder, thetaK, batch.outer(), null).mean();
        boolean boot = cfg.method() == Method.GRADNCP && cfg.bootstrap();
        if (!boot) {
            return new Outer(mse, mse.item(), 0.0, Double.NaN, null);
        }
        Params target = fixedBoot != null ? fixedBoot : bootstrapTarget(decoder, thetaK, batch, cfg, rng);
        Tensor distance = distance(thetaK, target);
        Tensor loss = mse.add(distance.scale(cfg.bootWeight()));
        return new Outer(loss, mse.item(), distance.item(), Double.NaN, target);
    }
}
