package gradncp.run;

import gradncp.config.MetaConfig;
import gradncp.config.MetaConfig.Selection;
import gradncp.data.ImageSet;
import gradncp.data.ImageSignals;
import gradncp.data.SceneSignals;
import gradncp.data.SignalSet;
import gradncp.meta.InnerLoop;
import gradncp.meta.InnerLoop.Graph;
import gradncp.meta.InnerLoop.Plan;
import gradncp.meta.InnerLoop.StepRule;
import gradncp.metrics.Psnr;
import gradncp.nn.Batch;
import gradncp.nn.Decoder;
import gradncp.nn.Params;
import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Meta-test (GradNCP Algorithm 2; ALGORITHM.md, Meta-test and Metrics) for every decoder: adapt
 * the learned init to each test signal with K_test first-order steps, plain (full context) or
 * rescaled (the full-context direction with the pruned-context magnitude), then render every
 * element, clamp to [0, 1] and score PSNR (peak 1) and SSIM per signal. Both protocols are always
 * reported. SSIM is NaN where the modality defines none (audio, sphere).
 */
public final class Evaluator {
    /** The test-time protocol: steps, learning rate, and the context ratio used for rescaling. */
    public record Protocol(int steps, double lr, double contextRatio) {
        public static Protocol of(MetaConfig cfg) {
            return new Protocol(cfg.testSteps(), cfg.innerLr(), cfg.method() == MetaConfig.Method.GRADNCP
                    ? cfg.contextRatio() : 0.25);
        }
    }

    /** Scores of one signal. */
    public record Score(String name, double psnr, double ssim) {}

    /** Mean and standard error over signals. */
    public record Stat(double mean, double stderr) {
        public static Stat of(double[] v) {
            double m = 0;
            for (double x : v) {
                m += x;
            }
            m /= v.length;
            double s = 0;
            for (double x : v) {
                s += (x - m) * (x - m);
            }
            double sd = v.length > 1 ? Math.sqrt(s / (v.length - 1)) : 0;
            return new Stat(m, sd / Math.sqrt(v.length));
        }
    }

    /** Per-signal scores of one protocol plus summary and the time per fitted signal. */
    public record Result(List<Score> scores, Stat psnr, Stat ssim, double msPerSignal) {}

    /** Adapted per-signal parameters and the predictions in the signals' layout, one float[] per signal. */
    public record Fitted(Params params, float[][] predictions) {}

    /** An evaluation given up between batches because its caller was asked to stop. */
    public static final class Stopped extends RuntimeException {
        private Stopped() {
            super("evaluation stopped on request", null, false, false);
        }

        /** Throws when stop says so. */
        static void check(BooleanSupplier stop) {
            if (stop.getAsBoolean()) {
                throw new Stopped();
            }
        }
    }

    private Evaluator() {}

    /** Evaluates one protocol (rescale or plain) over a set of images, in batches. */
    public static Result evaluate(Decoder decoder, Params theta0, ImageSet set, Protocol protocol, boolean rescale,
            int batchSize) {
        return evaluate(decoder, theta0, new ImageSignals(set), protocol, rescale, batchSize);
    }

    /** Evaluates one protocol (rescale or plain) over a set of signals of any modality, in batches. */
    public static Result evaluate(Decoder decoder, Params theta0, SignalSet set, Protocol protocol, boolean rescale,
            int batchSize) {
        return evaluate(decoder, theta0, set, protocol, rescale, batchSize, () -> false);
    }

    /**
     * As above, but asks stop before every batch and throws {@link Stopped} once it says true, so a
     * training run asked to stop (SIGTERM) during an in-run evaluation waits for one batch, not all.
     */
    public static Result evaluate(Decoder decoder, Params theta0, SignalSet set, Protocol protocol, boolean rescale,
            int batchSize, BooleanSupplier stop) {
        checkShape(decoder, set);
        List<Score> scores = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int start = 0; start < set.size(); start += batchSize) {
            Stopped.check(stop);
            int n = Math.min(batchSize, set.size() - start);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = start + i;
            }
            SignalSet part = set.subset(idx);
            float[][] pred = fit(decoder, theta0, part, protocol, rescale, false).predictions();
            SignalSet scored = scored(part);
            for (int i = 0; i < n; i++) {
                float[] target = scored.values(i);
                scores.add(new Score(part.names().get(i), Psnr.of(pred[i], target), scored.ssim(pred[i], target)));
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6 / Math.max(1, set.size());
        return new Result(scores, Stat.of(scores.stream().mapToDouble(Score::psnr).toArray()),
                Stat.of(scores.stream().mapToDouble(Score::ssim).toArray()), ms);
    }

    /** Fails with a clear message when a decoder cannot represent the signals. */
    public static void checkShape(Decoder decoder, SignalSet set) {
        try {
            decoder.layout(set.inDim(), set.points(), set.channels());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " (data: " + set.describe() + ")", e);
        }
    }

    /** Adapts theta0 to every image of the set (one batch) and renders the result. */
    public static Fitted fit(Decoder decoder, Params theta0, ImageSet set, Protocol protocol, boolean rescale,
            boolean keepParams) {
        return fit(decoder, theta0, new ImageSignals(set), protocol, rescale, keepParams);
    }

    /** The inner plan of a test protocol: plain full-context steps, or GradNCP-rescaled steps. */
    public static Plan plan(Protocol protocol, boolean rescale) {
        return new Plan(protocol.steps(), protocol.lr(), Selection.GRADNCP, rescale ? protocol.contextRatio() : 1.0,
                Graph.NONE, rescale ? StepRule.RESCALED : StepRule.PLAIN);
    }

    /**
     * The elements a test signal is adapted on: the signal itself, or for multi-view scenes the
     * input views (ALGORITHM.md, NeRF: meta-test).
     */
    public static SignalSet context(SignalSet set) {
        return set instanceof SceneSignals s ? s.inputs() : set;
    }

    /** The elements a test signal is scored on: the signal itself, or a scene's held-out views. */
    public static SignalSet scored(SignalSet set) {
        return set instanceof SceneSignals s ? s.heldOut() : set;
    }

    /**
     * Adapts theta0 to every signal of the set (one batch) on its {@link #context} and renders every
     * element of its {@link #scored} part.
     */
    public static Fitted fit(Decoder decoder, Params theta0, SignalSet set, Protocol protocol, boolean rescale,
            boolean keepParams) {
        try (Memory.Scope scope = Memory.scope()) {
            Batch batch = batchOf(context(set), decoder, theta0.dtype());
            Params start = Autodiff.noGrad(() -> theta0.detach().perSignal(set.size()));
            Params adapted = InnerLoop.adapt(decoder, start, batch, plan(protocol, rescale), new SplittableRandom(0))
                    .params();
            Batch target = scored(set) == set ? batch : batchOf(scored(set), decoder, theta0.dtype());
            float[][] pred = Render.render(decoder, adapted, target);
            if (keepParams) {
                adapted.keep(scope);
            }
            return new Fitted(keepParams ? adapted : null, pred);
        }
    }

    /**
     * A batch of signals for a decoder: values [B, N, e...] in the decoder's element layout (the
     * signals' own channels-last order), and their shared grid [N, in] when the decoder reads
     * coordinates.
     */
    public static Batch batchOf(SignalSet set, Decoder decoder, DType dtype) {
        int[] layout = decoder.layout(set.inDim(), set.points(), set.channels());
        int[] dims = new int[layout.length + 1];
        dims[0] = set.size();
        System.arraycopy(layout, 0, dims, 1, layout.length);
        float[] flat = set.flat();
        Tensor values = dtype == DType.F32 ? Tensor.of(flat, dims) : Tensor.of(dtype, toDouble(flat), dims);
        Tensor coords = decoder.readsCoords() ? Tensor.of(dtype, set.coords(), set.points(), set.inDim()) : null;
        return new Batch(coords, values);
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
