package gradncp.meta;

import gradncp.config.MetaConfig.Order;
import gradncp.config.MetaConfig;
import gradncp.meta.InnerLoop.Graph;
import gradncp.meta.InnerLoop.Plan;
import gradncp.meta.InnerLoop.StepRule;
import gradncp.nn.Batch;
import gradncp.nn.Params;
import gradncp.nn.Decoder;
import gradncp.tensor.Autodiff;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The same meta-gradient as {@link MetaStep#gradient}, with memory independent of the number of
 * inner steps: the inner loop runs without a graph (keeping only theta_k and the context of
 * each step), and the backward pass walks the steps in reverse, rebuilding one step's graph at a
 * time. Since theta_{k+1} = theta_k - lr grad l_k(theta_k), the adjoint obeys
 * a_k = a_{k+1} - lr H_k a_{k+1} (H_k the Hessian of l_k at theta_k, block-diagonal over
 * signals), and H_k a is a Hessian-vector product by double backward. Exact, not an
 * approximation; it costs one more forward and backward per inner step.
 */
public final class RecomputeGradient {
    private RecomputeGradient() {}

    public static MetaStep.Gradient gradient(Decoder decoder, Params theta0, Batch batch, MetaConfig cfg,
            SplittableRandom rng) {
        Plan plan = MetaObjective.trainPlan(cfg);
        int steps = plan.steps();
        List<Params> thetas = new ArrayList<>(steps + 1);
        List<int[][]> contexts = new ArrayList<>(steps);
        double[] last = {Double.NaN};
        // forward: no graph; remember theta_k (small) and C_k (indices)
        Params start = Autodiff.noGrad(() -> theta0.detach().perSignal(batch.size()));
        InnerLoop.Observer record = (k, before, context) -> {
            // a copy: the detached loop releases each step's parameters once the next exist
            thetas.add(Autodiff.noGrad(() -> before.detach().map(t -> t.scale(1.0))));
            contexts.add(context);
        };
        Plan detached = new Plan(steps, plan.lr(), plan.selection(), plan.ratio(), Graph.NONE, StepRule.PLAIN);
        InnerLoop.Adapted adapted = InnerLoop.adapt(decoder, start, batch, detached, rng, record);
        last[0] = adapted.lastLoss();
        Params thetaK = adapted.params();
        // outer loss at theta_K and its gradient a_K
        List<Tensor> adjoint;
        double mse;
        double distance;
        try (Memory.Scope scope = Memory.scope()) {
            // d/dtheta_K of mean_b loss_b on the outer target, in chunks; then the bootstrap term on params only
            Params leaves = thetaK.param();
            InnerLoop.Gradient full = InnerLoop.fullGradient(decoder, leaves, batch.outer());
            double inv = 1.0 / batch.size();
            List<Tensor> a = Autodiff.noGrad(() -> full.grads().stream().map(t -> t.scale(inv)).toList());
            mse = full.meanLoss();
            distance = 0;
            if (cfg.method() == MetaConfig.Method.GRADNCP && cfg.bootstrap()) {
                Params target = MetaObjective.bootstrapTarget(decoder, thetaK, batch, cfg, rng);
                Tensor dist = MetaObjective.distance(leaves, target);
                distance = dist.item();
                List<Tensor> gd = leaves.grad(dist.scale(cfg.bootWeight()), Autodiff.Mode.DETACHED);
                List<Tensor> sum = new ArrayList<>();
                Autodiff.noGrad(() -> {
                    for (int i = 0; i < a.size(); i++) {
                        sum.add(a.get(i).add(gd.get(i)));
                    }
                    return null;
                });
                adjoint = scope.keepAll(sum);
            } else {
                adjoint = scope.keepAll(new ArrayList<>(a));
            }
        }
        // backward through the steps: a_k = a_{k+1} - lr H_k a_{k+1}
        if (cfg.order() == Order.SECOND) {
            for (int k = steps - 1; k >= 0; k--) {
                adjoint = stepBack(decoder, thetas.get(k), batch, contexts.get(k), adjoint, plan.lr());
            }
        }
        List<double[]> out = new ArrayList<>(adjoint.size());
        for (Tensor a : adjoint) {
            out.add(Autodiff.noGrad(() -> a.sum(false, 0)).toDoubleArray()); // per-signal copies sum into theta_0
        }
        return new MetaStep.Gradient(out, new MetaObjective.Outer(null, mse, distance, last[0], null));
    }

    private static List<Tensor> stepBack(Decoder decoder, Params thetaK, Batch batch, int[][] context,
            List<Tensor> a, double lr) {
        try (Memory.Scope scope = Memory.scope()) {
            Params p = thetaK.param();
            List<Tensor> g = p.grad(InnerLoop.contextLoss(decoder, p, batch, context).sum(), Autodiff.Mode.DIFFERENTIABLE);
            Tensor dot = null;
            for (int i = 0; i < g.size(); i++) {
                Tensor term = g.get(i).mul(a.get(i)).sum();
                dot = dot == null ? term : dot.add(term);
            }
            List<Tensor> hv = p.grad(dot, Autodiff.Mode.DETACHED);
            List<Tensor> next = new ArrayList<>(a.size());
            Autodiff.noGrad(() -> {
                for (int i = 0; i < a.size(); i++) {
                    next.add(a.get(i).sub(hv.get(i).scale(lr)));
                }
                return null;
            });
            return scope.keepAll(next);
        }
    }
}
