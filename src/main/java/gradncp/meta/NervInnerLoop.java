package gradncp.meta;

import gradncp.meta.InnerLoop.Adapted;
import gradncp.meta.InnerLoop.Graph;
import gradncp.nn.NervSpec;
import gradncp.nn.Params;
import gradncp.tensor.Autodiff;
import gradncp.tensor.Tensor;
import java.util.List;

/**
 * The GradNCP inner loop for NeRV videos (ALGORITHM.md, Inner loop and NeRV, with frames as the
 * context elements): at every step re-score and keep floor(gamma T) frames per signal, then one
 * plain SGD step on their MSE. The per-signal copies each receive exactly the gradient of their own
 * loss.
 */
public final class NervInnerLoop {
    private NervInnerLoop() {}

    /**
     * Runs steps SGD steps from per-signal params start ([B, ...] each); lastLoss is the mean
     * context loss of the last step (before its update). Graph.NONE must not run inside noGrad.
     */
    public static Adapted adapt(NervSpec spec, Params start, Tensor video, int steps, double lr, double ratio,
            Graph graph) {
        if (steps < 0) {
            throw new IllegalArgumentException("inner steps must be >= 0, got " + steps);
        }
        Params p = start;
        double last = Double.NaN;
        for (int k = 0; k < steps; k++) {
            int[][] frames = NervContext.select(spec, p, video, ratio);
            Params at = graph == Graph.NONE ? p.detach().param() : p;
            Tensor loss = NervContext.loss(spec, at, video, frames); // [B]
            last = loss.detach().mean().item();
            List<Tensor> g = at.grad(loss.sum(), graph == Graph.SECOND_ORDER
                    ? Autodiff.Mode.DIFFERENTIABLE : Autodiff.Mode.DETACHED);
            p = graph == Graph.NONE ? Autodiff.noGrad(() -> at.minus(lr, g)) : at.minus(lr, g);
        }
        return new Adapted(p, last);
    }

    /**
     * The MAML objective over frames: copy theta0 per signal, adapt, and average the full-video MSE
     * at the adapted params over the batch (a scalar in the graph of theta0 for second order).
     */
    public static Tensor metaLoss(NervSpec spec, Params theta0, Tensor video, int steps, double lr, double ratio,
            Graph graph) {
        Params start = theta0.perSignal(video.dim(0));
        Params adapted = adapt(spec, start, video, steps, lr, ratio, graph).params();
        return NervContext.loss(spec, adapted, video, null).mean();
    }
}
