package gradncp.run;

import gradncp.config.MetaConfig.Selection;
import gradncp.config.MetaConfig;
import gradncp.data.Grid;
import gradncp.data.ImageSet;
import gradncp.data.ImageSignals;
import gradncp.data.SignalSet;
import gradncp.meta.InnerLoop.Graph;
import gradncp.meta.InnerLoop.Plan;
import gradncp.meta.InnerLoop.StepRule;
import gradncp.meta.InnerLoop;
import gradncp.metrics.Psnr;
import gradncp.metrics.Ssim;
import gradncp.nn.Batch;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.nn.SirenSpec;
import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Meta-test (GradNCP Algorithm 2; ALGORITHM.md, Meta-test and Metrics): adapt the learned init to
 * each test image with K_test first-order full-context steps, plain or rescaled, then render the
 * full grid, clamp to [0, 1] and score PSNR (peak 1) and SSIM per image. Both protocols are always
 * reported. Every method taking a {@link SignalSet} works for any modality; SSIM is NaN where the
 * modality defines none (audio, sphere). The ImageSet overloads are kept for images.
 */
public final class Evaluator {
    /** The test-time protocol: steps, learning rate, and the context ratio used for rescaling. */
    public record Protocol(int steps, double lr, double contextRatio) {
        public static Protocol of(MetaConfig cfg) {
            return new Protocol(cfg.testSteps(), cfg.innerLr(), cfg.method() == MetaConfig.Method.GRADNCP
                    ? cfg.contextRatio() : 0.25);
        }
    }

    /** Scores of one image. */
    public record Score(String name, double psnr, double ssim) {}

    /** Mean and standard error over signals. */
    public record Stat(double mean, double stderr) {
        static Stat of(double[] v) {
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

    /** Per-image scores of one protocol plus summary and the time per fitted signal. */
    public record Result(List<Score> scores, Stat psnr, Stat ssim, double msPerSignal) {}

    /** Adapted per-signal parameters and the predictions on the training grid, [B, N, C]. */
    public record Fitted(Params params, float[][] predictions) {}

    private Evaluator() {}

    /** Evaluates one protocol (rescale or plain) over a set of images, in batches. */
    public static Result evaluate(SirenSpec spec, Params theta0, ImageSet set, Protocol protocol, boolean rescale,
            int batchSize) {
        return evaluate(spec, theta0, new ImageSignals(set), protocol, rescale, batchSize);
    }

    /** Evaluates one protocol (rescale or plain) over a set of signals of any modality, in batches. */
    public static Result evaluate(SirenSpec spec, Params theta0, SignalSet set, Protocol protocol, boolean rescale,
            int batchSize) {
        checkShape(spec, set);
        List<Score> scores = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int start = 0; start < set.size(); start += batchSize) {
            int n = Math.min(batchSize, set.size() - start);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = start + i;
            }
            SignalSet part = set.subset(idx);
            float[][] pred = fit(spec, theta0, part, protocol, rescale, false).predictions();
            for (int i = 0; i < n; i++) {
                float[] target = part.values(i);
                scores.add(new Score(part.names().get(i), Psnr.of(pred[i], target), part.ssim(pred[i], target)));
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6 / Math.max(1, set.size());
        return new Result(scores, Stat.of(scores.stream().mapToDouble(Score::psnr).toArray()),
                Stat.of(scores.stream().mapToDouble(Score::ssim).toArray()), ms);
    }

    /** Fails with a clear message when a checkpoint's SIREN does not fit the signals. */
    public static void checkShape(SirenSpec spec, SignalSet set) {
        if (spec.inDim() != set.inDim() || spec.outDim() != set.channels()) {
            throw new IllegalArgumentException("the checkpoint's SIREN maps " + spec.inDim() + " -> " + spec.outDim()
                    + " but the data (" + set.describe() + ") needs " + set.inDim() + " -> " + set.channels()
                    + "; use data of the modality and channels the checkpoint was trained on");
        }
    }

    /** Adapts theta0 to every image of the set (one batch) and renders the result. */
    public static Fitted fit(SirenSpec spec, Params theta0, ImageSet set, Protocol protocol, boolean rescale,
            boolean keepParams) {
        return fit(spec, theta0, new ImageSignals(set), protocol, rescale, keepParams);
    }

    /** Adapts theta0 to every signal of the set (one batch) and renders the result on its grid. */
    public static Fitted fit(SirenSpec spec, Params theta0, SignalSet set, Protocol protocol, boolean rescale,
            boolean keepParams) {
        try (Memory.Scope scope = Memory.scope()) {
            Batch batch = batchOf(set, theta0.dtype());
            Params start = Autodiff.noGrad(() -> theta0.detach().perSignal(set.size()));
            Plan plan = new Plan(protocol.steps(), protocol.lr(), Selection.GRADNCP,
                    rescale ? protocol.contextRatio() : 1.0, Graph.NONE, rescale ? StepRule.RESCALED : StepRule.PLAIN);
            Params adapted = InnerLoop.adapt(spec, start, batch, plan, new SplittableRandom(0)).params();
            float[][] pred = render(spec, adapted, batch.coords(), set.size());
            if (keepParams) {
                adapted.keep(scope);
            }
            return new Fitted(keepParams ? adapted : null, pred);
        }
    }

    /** Predictions clamped to [0, 1], one float[N*C] per signal. */
    public static float[][] render(SirenSpec spec, Params perSignal, Tensor coords, int signals) {
        return Autodiff.noGrad(() -> {
            try (Memory.Scope scope = Memory.scope()) {
                float[] all = Siren.forward(spec, perSignal.detach(), coords).toFloatArray(); // [B, N, C]
                int per = all.length / signals;
                float[][] out = new float[signals][per];
                for (int b = 0; b < signals; b++) {
                    for (int i = 0; i < per; i++) {
                        out[b][i] = Math.min(1f, Math.max(0f, all[b * per + i]));
                    }
                }
                return out;
            }
        });
    }

    /** Signal b of per-signal parameters, as shared-shape parameters. */
    public static Params signal(Params perSignal, int b) {
        return Autodiff.noGrad(() -> perSignal.map(t -> {
            int[] d = t.shape().dims();
            return t.slice(0, b, 1).reshape(java.util.Arrays.copyOfRange(d, 1, d.length));
        }));
    }

    /**
     * Renders one field (shared-shape params) on a size x size grid, clamped to [0, 1], in
     * chunks of rows so that memory stays bounded at any resolution (resolution-free decoding).
     */
    public static float[] renderSquare(SirenSpec spec, Params field, int size) {
        int c = spec.outDim();
        float[] out = new float[size * size * c];
        Tensor grid = Grid.image(size, size, field.dtype()); // [S*S, 2]
        int rows = Math.max(1, 16384 / size);
        Autodiff.noGrad(() -> {
            for (int r0 = 0; r0 < size; r0 += rows) {
                int nr = Math.min(rows, size - r0);
                try (Memory.Scope scope = Memory.scope()) {
                    Tensor chunk = grid.slice(0, r0 * size, nr * size);
                    float[] v = Siren.forward(spec, field.detach(), chunk).toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        out[r0 * size * c + i] = Math.min(1f, Math.max(0f, v[i]));
                    }
                }
            }
            return null;
        });
        return out;
    }

    /**
     * One field (shared-shape params) evaluated at {@code coords} [n * inDim], clamped to [0, 1],
     * in chunks so that memory stays bounded at any resolution; returns [n * outDim].
     */
    public static float[] renderAt(SirenSpec spec, Params field, double[] coords) {
        int in = spec.inDim();
        int c = spec.outDim();
        int n = coords.length / in;
        float[] out = new float[n * c];
        int chunk = 16384;
        Autodiff.noGrad(() -> {
            for (int p0 = 0; p0 < n; p0 += chunk) {
                int np = Math.min(chunk, n - p0);
                try (Memory.Scope scope = Memory.scope()) {
                    Tensor x = Tensor.of(field.dtype(), java.util.Arrays.copyOfRange(coords, p0 * in, (p0 + np) * in),
                            np, in);
                    float[] v = Siren.forward(spec, field.detach(), x).toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        out[p0 * c + i] = Math.min(1f, Math.max(0f, v[i]));
                    }
                }
            }
            return null;
        });
        return out;
    }

    /** A batch of signals on their shared grid: coords [N, in], values [B, N, C]. */
    public static Batch batchOf(SignalSet set, DType dtype) {
        int n = set.points();
        int c = set.channels();
        float[] flat = set.flat();
        Tensor values = dtype == DType.F32 ? Tensor.of(flat, set.size(), n, c)
                : Tensor.of(dtype, toDouble(flat), set.size(), n, c);
        return new Batch(Tensor.of(dtype, set.coords(), n, set.inDim()), values);
    }

    /** A batch of square images on the standard grid. */
    public static Batch batchOf(ImageSet set, DType dtype) {
        int r = set.resolution();
        int c = set.channels();
        float[] flat = set.flat();
        Tensor values = dtype == DType.F32 ? Tensor.of(flat, set.size(), r * r, c)
                : Tensor.of(dtype, toDouble(flat), set.size(), r * r, c);
        return new Batch(Grid.image(r, r, dtype), values);
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
