package gradncp.meta;

import gradncp.config.MetaConfig;
import gradncp.nn.Batch;
import gradncp.nn.Params;
import gradncp.nn.Decoder;
import gradncp.optim.Adam;
import gradncp.tensor.Autodiff;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One outer step: meta-loss, meta-gradient (backprop through the inner loop), global-norm clip,
 * Adam (ALGORITHM.md, Outer update). Everything the step allocates is released when it ends.
 */
public final class MetaStep {
    /** Logged numbers of one outer step. */
    public record Stats(double loss, double mseOut, double distance, double innerLast, double gradNorm) {}

    /** The meta-gradient and the objective's parts, before clipping. */
    public record Gradient(List<double[]> grads, MetaObjective.Outer outer) {}

    private MetaStep() {}

    /**
     * How the meta-gradient is computed: keeping the whole second-order graph of the inner loop
     * (the default), or rebuilding one inner step at a time ({@link RecomputeGradient}: the same
     * gradient with memory independent of K, for one more forward and backward per inner step).
     */
    public enum Mode {
        KEPT_GRAPH, RECOMPUTE;

        /** RECOMPUTE when recompute is set (the {@code --recompute} flag), else KEPT_GRAPH. */
        public static Mode of(boolean recompute) {
            return recompute ? RECOMPUTE : KEPT_GRAPH;
        }
    }

    /** d metaLoss / d theta0 as arrays (one per parameter tensor), keeping the inner loop's graph. */
    public static Gradient gradient(Decoder decoder, Params theta0, Batch batch, MetaConfig cfg, SplittableRandom rng) {
        return gradient(decoder, theta0, batch, cfg, rng, Mode.KEPT_GRAPH);
    }

    /** d metaLoss / d theta0 as arrays (one per parameter tensor). */
    public static Gradient gradient(Decoder decoder, Params theta0, Batch batch, MetaConfig cfg, SplittableRandom rng,
            Mode mode) {
        if (mode == Mode.RECOMPUTE) {
            try (Memory.Scope scope = Memory.scope()) {
                return RecomputeGradient.gradient(decoder, theta0, batch, cfg, rng);
            }
        }
        try (Memory.Scope scope = Memory.scope()) {
            Params leaves = theta0.param();
            MetaObjective.Outer outer = MetaObjective.loss(decoder, leaves, batch, cfg, rng, null);
            List<Tensor> g = leaves.grad(outer.loss(), Autodiff.Mode.DETACHED);
            List<double[]> out = new ArrayList<>(g.size());
            for (Tensor t : g) {
                out.add(t.toDoubleArray());
            }
            MetaObjective.Outer light = new MetaObjective.Outer(null, outer.mseOut(), outer.distance(),
                    outer.innerLast(), null);
            return new Gradient(out, light);
        }
    }

    /** Computes the meta-gradient, clips it, applies Adam; returns the new theta0 via holder[0]. */
    public static Stats run(Decoder decoder, Params[] theta0, Adam adam, Batch batch, MetaConfig cfg,
            SplittableRandom rng, Mode mode) {
        return apply(theta0, adam, gradient(decoder, theta0[0], batch, cfg, rng, mode), cfg);
    }

    /**
     * Clips a meta-gradient computed elsewhere (e.g. summed over data-parallel workers) and applies
     * Adam; returns the new theta0 via holder[0]. The gradient's arrays are clipped in place.
     */
    public static Stats apply(Params[] theta0, Adam adam, Gradient g, MetaConfig cfg) {
        double norm = Adam.clip(g.grads(), cfg.clip());
        theta0[0] = adam.update(theta0[0], g.grads());
        MetaObjective.Outer o = g.outer();
        double loss = o.mseOut() + cfg.bootWeight() * o.distance();
        return new Stats(loss, o.mseOut(), o.distance(), o.innerLast(), norm);
    }
}
