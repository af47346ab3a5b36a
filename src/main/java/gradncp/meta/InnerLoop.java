package gradncp.meta;

import gradncp.config.MetaConfig.Selection;
import gradncp.nn.Batch;
import gradncp.nn.Decoder;
import gradncp.nn.Elements;
import gradncp.nn.Params;
import gradncp.tensor.Autodiff;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The one inner loop of every method and every decoder: K plain SGD steps per signal on a
 * (possibly pruned) context of elements. Used for meta-training (in the graph, second or first
 * order), for the bootstrap target and for test-time adaptation (no graph; each step in its own
 * memory scope, so memory does not grow with the number of steps).
 */
public final class InnerLoop {
    /** How the steps relate to the autodiff graph. */
    public enum Graph {
        /** Gradients are differentiable graphs: backprop through all steps (MAML/GradNCP). */
        SECOND_ORDER,
        /** Gradients are constants, but the update stays in the graph (FOMAML; a deviation). */
        FIRST_ORDER,
        /** No graph at all: test-time adaptation and the bootstrap target. */
        NONE
    }

    /** The update of one step. */
    public enum StepRule {
        /** theta - lr * grad(loss on the context). */
        PLAIN,
        /**
         * GradNCP test-time rule (ALGORITHM.md, Meta-test): the full-context direction with the
         * pruned-context magnitude, theta - lr * (||g_pruned|| / (||g_full|| + 1e-16)) g_full, norms
         * global per signal.
         */
        RESCALED
    }

    /** What one inner loop runs. */
    public record Plan(int steps, double lr, Selection selection, double ratio, Graph graph, StepRule rule) {
        public Plan {
            if (steps < 0) {
                throw new IllegalArgumentException("inner steps must be >= 0, got " + steps);
            }
            if (!(ratio > 0 && ratio <= 1)) {
                throw new IllegalArgumentException("contextRatio must be in (0, 1], got " + ratio);
            }
            if (rule == StepRule.RESCALED && graph != Graph.NONE) {
                throw new IllegalArgumentException("the rescaled step is a test-time rule; use Graph.NONE");
            }
        }
    }

    /** Adapted per-signal parameters and the mean context loss of the last step (before its update). */
    public record Adapted(Params params, double lastLoss) {}

    /** Optional per-step observer (for reports): step index, params before the step, the context. */
    public interface Observer {
        void step(int k, Params before, int[][] context);
    }

    private InnerLoop() {}

    /** A detached gradient of sum_b loss_b and the mean loss over signals. */
    public record Gradient(List<Tensor> grads, double meanLoss) {}

    /**
     * grad_theta sum_b loss_b(theta; full context), detached, computed over chunks of elements so
     * that memory stays bounded at any resolution (the loss is a mean over elements, so chunk
     * gradients add up). One chunk when the signal is small.
     */
    public static Gradient fullGradient(Decoder decoder, Params p, Batch batch) {
        int n = batch.points();
        int chunk = decoder.chunk(batch.size(), n);
        if (n <= chunk) {
            Tensor loss = contextLoss(decoder, p, batch, null);
            double mean = loss.detach().mean().item();
            return new Gradient(p.grad(loss.sum(), Autodiff.Mode.DETACHED), mean);
        }
        List<Tensor> total = null;
        double lossSum = 0;
        for (int lo = 0; lo < n; lo += chunk) {
            int len = Math.min(chunk, n - lo);
            try (Memory.Scope scope = Memory.scope()) {
                Elements range = Elements.range(lo, len);
                Tensor part = decoder.chunkLoss(decoder.forward(p, batch, range), batch.targets(range), n);
                lossSum += part.detach().item();
                List<Tensor> g = p.grad(part, Autodiff.Mode.DETACHED);
                List<Tensor> prev = total;
                total = Autodiff.noGrad(() -> {
                    List<Tensor> acc = new java.util.ArrayList<>(g.size());
                    for (int i = 0; i < g.size(); i++) {
                        acc.add(prev == null ? g.get(i) : prev.get(i).add(g.get(i)));
                    }
                    return acc;
                });
                scope.keepAll(total);
            }
        }
        return new Gradient(total, lossSum / batch.size());
    }

    /** Per-signal loss on a context (null: the full context) -> [B]: the decoder's loss (MSE for a field). */
    public static Tensor contextLoss(Decoder decoder, Params p, Batch batch, int[][] context) {
        Elements e = Elements.of(context, batch.points());
        return decoder.loss(decoder.forward(p, batch, e), batch.targets(e));
    }

    public static Adapted adapt(Decoder decoder, Params start, Batch batch, Plan plan, SplittableRandom rng) {
        return adapt(decoder, start, batch, plan, rng, null);
    }

    /** Runs plan.steps() steps from per-signal parameters start ([B, ...] each). */
    public static Adapted adapt(Decoder decoder, Params start, Batch batch, Plan plan, SplittableRandom rng,
            Observer observer) {
        Params p = start;
        double last = Double.NaN;
        for (int k = 0; k < plan.steps(); k++) {
            int[][] context = Context.select(decoder, p, batch, plan.selection(), plan.ratio(), rng);
            if (observer != null) {
                observer.step(k, p, context);
            }
            if (plan.graph() == Graph.NONE) {
                Params prev = p;
                double[] loss = new double[1];
                try (Memory.Scope scope = Memory.scope()) {
                    p = detachedStep(decoder, p.detach().param(), batch, context, plan, loss).keep(scope);
                }
                if (prev != start) {
                    prev.tensors().forEach(Tensor::release);
                }
                last = loss[0];
            } else {
                Tensor loss = contextLoss(decoder, p, batch, context); // [B]
                Autodiff.Mode mode = plan.graph() == Graph.SECOND_ORDER
                        ? Autodiff.Mode.DIFFERENTIABLE : Autodiff.Mode.DETACHED;
                List<Tensor> g = p.grad(loss.sum(), mode); // each signal's copy gets exactly grad(loss_b)
                last = loss.mean().item();
                p = p.minus(plan.lr(), g);
            }
        }
        return new Adapted(p, last);
    }

    private static Params detachedStep(Decoder decoder, Params p, Batch batch, int[][] context, Plan plan,
            double[] lossOut) {
        List<Tensor> g;
        if (context == null) {
            Gradient full = fullGradient(decoder, p, batch);
            lossOut[0] = full.meanLoss();
            g = full.grads();
        } else {
            Tensor loss = contextLoss(decoder, p, batch, context);
            lossOut[0] = loss.detach().mean().item();
            g = p.grad(loss.sum(), Autodiff.Mode.DETACHED);
        }
        if (plan.rule() == StepRule.PLAIN) {
            return Autodiff.noGrad(() -> p.minus(plan.lr(), g));
        }
        List<Tensor> gFull = context == null ? g : fullGradient(decoder, p, batch).grads();
        double[] scale = rescaleFactors(g, gFull);
        return Autodiff.noGrad(() -> p.minusScaled(plan.lr(), gFull, scale));
    }

    /** Per-signal ||g_context|| / (||g_full|| + 1e-16) (ALGORITHM.md, Meta-test); 1 when the context is full. */
    public static double[] rescaleFactors(List<Tensor> gContext, List<Tensor> gFull) {
        return Autodiff.noGrad(() -> {
            double[] hi = Params.globalNorm(gContext).toDoubleArray();
            double[] full = Params.globalNorm(gFull).toDoubleArray();
            double[] s = new double[hi.length];
            for (int b = 0; b < s.length; b++) {
                s[b] = gContext == gFull ? 1.0 : hi[b] / (full[b] + 1e-16);
            }
            return s;
        });
    }
}
