package gradncp.run;

import gradncp.data.Episodes;
import gradncp.meta.InnerLoop;
import gradncp.nn.Batch;
import gradncp.nn.Decoder;
import gradncp.nn.Elements;
import gradncp.nn.Params;
import gradncp.tensor.Autodiff;
import gradncp.tensor.Memory;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Few-shot test of a learned init (ALGORITHM.md, Classification): for each episode, the same
 * inner loop as every other task adapts the init on the support set with a test protocol
 * ({@link Evaluator#plan}: plain full-support steps, or GradNCP-rescaled steps), then classifies
 * the query set by the largest logit. Reports the mean query accuracy over episodes and its 95%
 * confidence interval, 1.96 standard errors (the few-shot convention).
 */
public final class EpisodeEvaluator {
    /** Per-episode accuracies, their mean and 95% half-width, and the time per episode. */
    public record Result(double[] accuracies, double mean, double ci95, double msPerEpisode) {}

    private EpisodeEvaluator() {}

    /**
     * Episodes first .. first + count - 1 of seed, batch at a time; every episode is adapted from
     * theta0 independently, so the result does not depend on the batch size.
     */
    public static Result evaluate(Decoder decoder, Params theta0, Episodes episodes, long seed, long first, int count,
            Evaluator.Protocol protocol, boolean rescale, int batch) {
        return evaluate(decoder, theta0, episodes, seed, first, count, protocol, rescale, batch, () -> false);
    }

    /** As above, asking stop before every batch ({@link Evaluator.Stopped} once it says true). */
    public static Result evaluate(Decoder decoder, Params theta0, Episodes episodes, long seed, long first, int count,
            Evaluator.Protocol protocol, boolean rescale, int batch, BooleanSupplier stop) {
        if (count < 1 || batch < 1) {
            throw new IllegalArgumentException("evaluation needs count >= 1 and batch >= 1, got " + count + " and "
                    + batch);
        }
        double[] acc = new double[count];
        long t0 = System.nanoTime();
        for (int lo = 0; lo < count; lo += batch) {
            Evaluator.Stopped.check(stop);
            int n = Math.min(batch, count - lo);
            try (Memory.Scope scope = Memory.scope()) {
                Batch b = episodes.batch(seed, first + lo, n, theta0.dtype());
                Params adapted = InnerLoop.adapt(decoder, theta0.perSignal(n), b, Evaluator.plan(protocol, rescale),
                        new SplittableRandom(seed + lo)).params();
                double[] a = accuracy(decoder, adapted, b.outer());
                System.arraycopy(a, 0, acc, lo, n);
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6 / count;
        Evaluator.Stat s = Evaluator.Stat.of(acc);
        return new Result(acc, s.mean(), 1.96 * s.stderr(), ms);
    }

    /** Per-episode fraction of query elements whose largest logit is at their one-hot label. */
    public static double[] accuracy(Decoder decoder, Params adapted, Batch query) {
        int n = query.points();
        double[] logits = Autodiff.noGrad(() -> decoder.forward(adapted.detach(), query, Elements.all(n)))
                .toDoubleArray();
        double[] labels = query.values().toDoubleArray();
        int ways = query.values().dim(2);
        double[] out = new double[query.size()];
        for (int b = 0; b < out.length; b++) {
            int right = 0;
            for (int i = 0; i < n; i++) {
                int o = (b * n + i) * ways;
                int best = 0;
                int label = 0;
                for (int j = 1; j < ways; j++) {
                    best = logits[o + j] > logits[o + best] ? j : best;
                    label = labels[o + j] > labels[o + label] ? j : label;
                }
                right += best == label ? 1 : 0;
            }
            out[b] = (double) right / n;
        }
        return out;
    }
}
