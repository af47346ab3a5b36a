package gradncp.report;

import gradncp.config.MetaConfig.Selection;
import gradncp.meta.Context;
import gradncp.meta.InnerLoop.Plan;
import gradncp.meta.InnerLoop;
import gradncp.metrics.Psnr;
import gradncp.nn.Batch;
import gradncp.nn.Params;
import gradncp.nn.Decoder;
import gradncp.nn.Elements;
import gradncp.run.Evaluator;
import gradncp.run.Render;
import gradncp.tensor.Autodiff;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One test-time adaptation of one batch, exactly as {@link Evaluator#fit} runs it (same plan,
 * same selection, same rng), observed before every step through {@link InnerLoop.Observer}:
 * PSNR per step, snapshots of the reconstruction, and optional probes (global gradient norms
 * on the full and the pruned context, the detail share of the selected context, the kept mask,
 * and the Spearman correlation of the GradNCP score with the per-point full-network gradient
 * norm). Step K (after the last update) records PSNR and snapshots only.
 */
final class Trajectory {
    /** What to record besides PSNR. {@code corrPoints} null: no correlation probe; detail null: no share. */
    record Probes(Set<Integer> snapshotSteps, int snapshotSignals, boolean gradNorms, int[] corrPoints,
            boolean[][] detail) {}

    /**
     * Arrays indexed [signal][step]. psnr has K+1 steps (0..K), the probes K (before each update);
     * absent probes are null. normPruned uses the GradNCP top-gamma context at the current params.
     */
    record Trace(double[][] psnr, Map<Integer, float[][]> snapshots, double[][] normFull, double[][] normPruned,
            double[][] detailShare, int[][] keptOfSignal0, double[] spearmanScore, double[] spearmanError) {}

    private Trajectory() {}

    static Trace run(Decoder decoder, Params theta0, ReportSignals signals, int from, int count,
            Evaluator.Protocol protocol, boolean rescale, Probes probes) {
        int steps = protocol.steps();
        double[][] psnr = new double[count][steps + 1];
        Map<Integer, float[][]> snaps = new HashMap<>();
        boolean share = probes.detail() != null && rescale;
        double[][] normFull = probes.gradNorms() ? new double[count][steps] : null;
        double[][] normPruned = probes.gradNorms() ? new double[count][steps] : null;
        double[][] detailShare = share ? new double[count][steps] : null;
        int[][] kept = rescale ? new int[steps][] : null;
        boolean corr = probes.corrPoints() != null;
        double[] rhoScore = corr ? new double[steps] : null;
        double[] rhoError = corr ? new double[steps] : null;
        try (Memory.Scope scope = Memory.scope()) {
            Batch batch = signals.batch(decoder, from, count, theta0.dtype());
            Params start = Autodiff.noGrad(() -> theta0.detach().perSignal(count));
            // the plan of Evaluator.fit: rescaled = GradNCP context at the protocol ratio, plain = full
            Plan plan = Evaluator.plan(protocol, rescale);
            InnerLoop.Observer observer = (k, before, context) -> {
                record(decoder, before, batch, signals, from, k, psnr, snaps, probes);
                if (probes.gradNorms()) {
                    int[][] pruned = context != null ? context : Context.select(decoder, before, batch,
                            Selection.GRADNCP, protocol.contextRatio(), new SplittableRandom(0));
                    double[] full = gradNorms(decoder, before, batch, null);
                    double[] part = gradNorms(decoder, before, batch, pruned);
                    for (int b = 0; b < count; b++) {
                        normFull[b][k] = full[b];
                        normPruned[b][k] = part[b];
                    }
                }
                if (context != null) {
                    kept[k] = context[0];
                    for (int b = 0; share && b < count; b++) {
                        detailShare[b][k] = share(context[b], probes.detail()[b]);
                    }
                }
                if (corr) {
                    double[][] rho = correlations(decoder, before, batch, signals.target(from), probes.corrPoints());
                    rhoScore[k] = rho[0][0];
                    rhoError[k] = rho[1][0];
                }
            };
            Params adapted = InnerLoop.adapt(decoder, start, batch, plan, new SplittableRandom(0), observer).params();
            record(decoder, adapted, batch, signals, from, steps, psnr, snaps, probes);
        }
        return new Trace(psnr, snaps, normFull, normPruned, detailShare, kept, rhoScore, rhoError);
    }

    /** PSNR of the rendered (clamped) fields at step k, as Evaluator scores them, plus snapshots. */
    private static void record(Decoder decoder, Params perSignal, Batch batch, ReportSignals signals, int from, int k,
            double[][] psnr, Map<Integer, float[][]> snaps, Probes probes) {
        float[][] pred = Render.render(decoder, perSignal, batch);
        for (int b = 0; b < pred.length; b++) {
            psnr[b][k] = Psnr.of(pred[b], signals.target(from + b));
        }
        if (probes.snapshotSteps().contains(k)) {
            int n = Math.min(probes.snapshotSignals(), pred.length);
            snaps.put(k, java.util.Arrays.copyOf(pred, n));
        }
    }

    /** Global gradient norm per signal, over all parameters, of the mean loss on a context (null: full). */
    static double[] gradNorms(Decoder decoder, Params perSignal, Batch batch, int[][] context) {
        try (Memory.Scope scope = Memory.scope()) {
            Params p = perSignal.detach().param();
            Tensor loss = InnerLoop.contextLoss(decoder, p, batch, context); // [B]
            List<Tensor> g = p.grad(loss.sum(), Autodiff.Mode.DETACHED); // signal b's copy gets grad(loss_b)
            return Autodiff.noGrad(() -> Params.globalNorm(g).toDoubleArray());
        }
    }

    /** Fraction of the kept points that are detail points. */
    static double share(int[] kept, boolean[] detail) {
        int hits = 0;
        for (int i : kept) {
            if (detail[i]) {
                hits++;
            }
        }
        return hits / (double) kept.length;
    }

    /**
     * Spearman correlation, over the given points of signal 0, of the per-point full-network
     * gradient norm with (row 0) the GradNCP score and (row 1) the error-only score.
     */
    static double[][] correlations(Decoder decoder, Params perSignal, Batch batch, float[] target, int[] points) {
        float[] gradncp = Context.scores(decoder, perSignal, batch, true);
        float[] error = Context.scores(decoder, perSignal, batch, false);
        Params one = Render.signal(perSignal, 0);
        double[] full = pointGradNorms(decoder, one, batch, points);
        double[] a = new double[points.length];
        double[] e = new double[points.length];
        for (int j = 0; j < points.length; j++) {
            a[j] = gradncp[points[j]]; // signal 0 occupies [0, N) of the scores
            e[j] = error[points[j]];
        }
        return new double[][] {{Stats.spearman(a, full)}, {Stats.spearman(e, full)}};
    }

    /**
     * ||d/dtheta sum (y_i - f_i)^2|| over ALL parameters, for each element i of signal 0 of the
     * batch (the sum runs over the element's values), by autodiff: each element gets its own copy
     * of the (shared) params and of signal 0, so the gradient of the summed loss with respect to
     * copy j is element j's gradient. Chunks of 64 elements bound the memory.
     */
    static double[] pointGradNorms(Decoder decoder, Params shared, Batch batch, int[] points) {
        int[] dims = batch.values().shape().dims();
        double[] out = new double[points.length];
        for (int s = 0; s < points.length; s += 64) {
            int m = Math.min(64, points.length - s);
            int[][] idx = new int[m][];
            for (int j = 0; j < m; j++) {
                idx[j] = new int[] {points[s + j]};
            }
            try (Memory.Scope scope = Memory.scope()) {
                Params p = Autodiff.noGrad(() -> shared.detach().perSignal(m)).param();
                int[] repeated = dims.clone();
                repeated[0] = m;
                Batch copies = new Batch(batch.coords(), batch.values().slice(0, 0, 1).expand(repeated));
                Elements e = Elements.of(idx, batch.points());
                Tensor loss = decoder.forward(p, copies, e).sub(copies.targets(e)).square().sum();
                List<Tensor> g = p.grad(loss, Autodiff.Mode.DETACHED); // [M, ...] each
                double[] n = Autodiff.noGrad(() -> Params.globalNorm(g).toDoubleArray());
                System.arraycopy(n, 0, out, s, m);
            }
        }
        return out;
    }
}
