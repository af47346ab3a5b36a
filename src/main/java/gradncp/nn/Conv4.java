package gradncp.nn;

import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The Conv-4 classifier (Vinyals et al., 2016; the MAML backbone) as a pure function of (spec,
 * per-signal params, images): four blocks of 3x3 conv, group norm, ReLU and 2x2 max-pool, then a
 * linear head (ALGORITHM.md, Classification). Activations are laid out [B, C, K, H, W] (the K
 * images of each of B episodes as the frames of {@link BatchConv}), so one batched matmul per
 * layer covers every image of every episode. Built from public {@link Tensor} ops, so it
 * differentiates to any order.
 */
public final class Conv4 {
    /** Blocks of the backbone. */
    public static final int BLOCKS = 4;
    /** Added to the group variance before the square root. */
    public static final double NORM_EPS = 1e-5;

    private Conv4() {}

    /** The head's input phi [B, K, F] (the penultimate features) and the logits z [B, K, ways]. */
    public record Features(Tensor phi, Tensor logits) {}

    /** Logits [B, K, ways] of images [B, K, C, H, W]. */
    public static Tensor forward(Conv4Spec spec, Params p, Tensor images) {
        return features(spec, p, images).logits();
    }

    public static Features features(Conv4Spec spec, Params p, Tensor images) {
        if (images.rank() != 5 || images.dim(2) != spec.channels() || images.dim(3) != spec.size()
                || images.dim(4) != spec.size()) {
            throw new IllegalArgumentException("Conv-4 " + spec + " needs images [B, K, " + spec.channels() + ", "
                    + spec.size() + ", " + spec.size() + "], got " + images.shape());
        }
        int b = images.dim(0);
        int k = images.dim(1);
        Tensor x = images.permute(0, 2, 1, 3, 4); // [B, C, K, H, W]
        for (int i = 0; i < BLOCKS; i++) {
            x = BatchConv.conv3x3(x, p.get(4 * i), p.get(4 * i + 1));
            x = groupNorm(x, p.get(4 * i + 2), p.get(4 * i + 3), spec.groups()).relu();
            x = maxPool2x2(x);
        }
        Tensor phi = x.permute(0, 2, 1, 3, 4).reshape(b, k, spec.featureDim());
        Tensor logits = phi.linear(p.get(4 * BLOCKS), p.get(4 * BLOCKS + 1));
        return new Features(phi, logits);
    }

    /**
     * Group normalisation of every image on its own (Wu and He, 2018): x [B, C, K, H, W] is split
     * into groups of C / groups channels, each group of each image is shifted and scaled to zero
     * mean and unit variance over its channels and pixels, then y = gamma_c xhat + beta_c with
     * per-signal gamma, beta [B, C]. No running statistics: train and test normalise alike, and
     * an image's features do not depend on the other images of its context (ALGORITHM.md,
     * Classification).
     */
    public static Tensor groupNorm(Tensor x, Tensor gamma, Tensor beta, int groups) {
        int b = x.dim(0);
        int c = x.dim(1);
        int k = x.dim(2);
        int hw = x.dim(3) * x.dim(4);
        if (c % groups != 0) {
            throw new IllegalArgumentException("groupNorm: " + c + " channels do not split into " + groups + " groups");
        }
        Tensor xr = x.reshape(b, groups, c / groups, k, hw);
        Tensor centred = xr.sub(xr.mean(true, 2, 4));
        Tensor inv = centred.square().mean(true, 2, 4).addScalar(NORM_EPS).sqrt().recip();
        Tensor y = centred.mul(inv).reshape(x.shape().dims());
        return y.mul(gamma.reshape(b, c, 1, 1, 1)).add(beta.reshape(b, c, 1, 1, 1));
    }

    /**
     * 2x2 max-pool with stride 2 over the last two axes of [..., H, W] (rank 5), dropping an odd
     * last row or column (floor, as torch's MaxPool2d). max(a, b) = b + relu(a - b), so the
     * gradient is the rectifier's, routed to the largest of the four (the second of a tie).
     */
    public static Tensor maxPool2x2(Tensor x) {
        int[] d = x.shape().dims();
        int h2 = d[3] / 2;
        int w2 = d[4] / 2;
        if (h2 < 1 || w2 < 1) {
            throw new IllegalArgumentException("maxPool2x2 needs H, W >= 2, got " + x.shape());
        }
        Tensor even = x.slice(3, 0, 2 * h2).slice(4, 0, 2 * w2);
        Tensor r = even.reshape(d[0], d[1], d[2], h2, 2, w2, 2);
        Tensor top = max(r.slice(4, 0, 1).slice(6, 0, 1), r.slice(4, 0, 1).slice(6, 1, 1));
        Tensor bottom = max(r.slice(4, 1, 1).slice(6, 0, 1), r.slice(4, 1, 1).slice(6, 1, 1));
        return max(top, bottom).reshape(d[0], d[1], d[2], h2, w2);
    }

    private static Tensor max(Tensor a, Tensor b) {
        return b.add(a.sub(b).relu());
    }

    /**
     * Per-element cross-entropy -sum_j y_j log softmax(z)_j of logits z against (one-hot) targets
     * y, both [B, K, ways] -> [B, K]. Uses log-sum-exp around each row's maximum (a constant, so
     * the gradient softmax(z) - y and its derivatives are exact for targets summing to one).
     */
    public static Tensor crossEntropy(Tensor logits, Tensor targets) {
        Tensor centred = logits.sub(rowMax(logits));
        Tensor lse = centred.exp().sum(true, 2).log();
        return lse.sub(centred.mul(targets).sum(true, 2)).reshape(logits.dim(0), logits.dim(1));
    }

    /** softmax(z) over the last axis, [B, K, ways]. */
    public static Tensor softmax(Tensor logits) {
        Tensor e = logits.sub(rowMax(logits)).exp();
        return e.mul(e.sum(true, 2).recip());
    }

    /** The maximum of every row of z [B, K, ways] as a constant [B, K, 1] (no graph). */
    private static Tensor rowMax(Tensor z) {
        double[] v = z.detach().toDoubleArray();
        int w = z.dim(2);
        double[] m = new double[v.length / w];
        for (int r = 0; r < m.length; r++) {
            double best = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < w; j++) {
                best = Math.max(best, v[r * w + j]);
            }
            m[r] = Double.isFinite(best) ? best : 0.0;
        }
        return Tensor.of(z.dtype(), m, z.dim(0), z.dim(1), 1);
    }

    /**
     * PyTorch's default init of Conv2d and Linear (weights and biases ~ U(-1/sqrt(fanIn),
     * 1/sqrt(fanIn))), norm scales 1 and shifts 0; shared parameters in {@link Conv4Spec#params()}
     * order, drawn in float64.
     */
    public static Params init(Conv4Spec spec, long seed, DType dtype) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<ParamSpec> specs = spec.params();
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < BLOCKS; i++) {
            uniformLayer(specs.get(4 * i), specs.get(4 * i + 1), rng, dtype, out);
            out.add(Tensor.full(dtype, 1.0, specs.get(4 * i + 2).shape()));
            out.add(Tensor.zeros(dtype, specs.get(4 * i + 3).shape()));
        }
        uniformLayer(specs.get(4 * BLOCKS), specs.get(4 * BLOCKS + 1), rng, dtype, out);
        return new Params(out);
    }

    private static void uniformLayer(ParamSpec w, ParamSpec bias, SplittableRandom rng, DType dtype, List<Tensor> out) {
        double r = 1.0 / Math.sqrt((double) w.size() / w.shape()[0]);
        out.add(Tensor.uniform(dtype, rng, -r, r, w.shape()));
        out.add(Tensor.uniform(dtype, rng, -r, r, bias.shape()));
    }
}
