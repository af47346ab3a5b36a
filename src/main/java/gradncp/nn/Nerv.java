package gradncp.nn;

import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * NeRV (Chen et al., 2021) as a pure function of (spec, per-signal params, frame indices), the
 * video network of GradNCP (ALGORITHM.md, NeRV; reference models/inr/metanerv.py
 * MetaNeRVPenultimate). Frame j of a T-frame video has t_j = linspace(0, 1, T)[j]; every frame is
 * rendered independently, so a pruned context is a subset of frame indices.
 */
public final class Nerv {
    private Nerv() {}

    /**
     * The rendered frames (tanh(z) + 1) / 2 and the two quantities of the pruning score: the
     * pre-tanh head output z, both [B, T', 3, H, W], and the head's input feature [B, T', C, H, W].
     */
    public record Features(Tensor frames, Tensor z, Tensor feature) {}

    /** Frames [B, T', 3, H, W] in (0, 1) for the selected frame indices [B][T'] (null: all T frames). */
    public static Tensor forward(NervSpec spec, Params p, int[][] frames) {
        Tensor z = head(spec, p, body(spec, p, frames)).permute(0, 2, 1, 3, 4);
        return spec.output(z);
    }

    public static Features features(NervSpec spec, Params p, int[][] frames) {
        Tensor feature = body(spec, p, frames); // [B, C, T', H, W]
        Tensor z = head(spec, p, feature).permute(0, 2, 1, 3, 4);
        return new Features(spec.output(z), z, feature.permute(0, 2, 1, 3, 4));
    }

    /** Stem and blocks: the head's input, [B, C, T', H, W]. */
    private static Tensor body(NervSpec spec, Params p, int[][] frames) {
        int b = checkParams(spec, p);
        int[][] idx = frames == null ? allFrames(spec, b) : checkFrames(spec, frames, b);
        Tensor x = encode(spec, idx, p.dtype()); // [B, T', 2 levels]
        x = x.linear(p.get(0), p.get(1)).gelu();
        x = x.linear(p.get(2), p.get(3)).gelu(); // [B, T', C0 * s * s]
        int s = spec.baseSize();
        x = x.reshape(b, idx[0].length, spec.channelsIn(0), s, s).permute(0, 2, 1, 3, 4); // [B, C0, T', s, s]
        for (int i = 0; i < spec.blocks(); i++) {
            x = BatchConv.conv3x3(x, p.get(4 + 2 * i), p.get(5 + 2 * i));
            x = BatchConv.pixelShuffle(x, spec.stride(i)).gelu();
        }
        return x;
    }

    /** The 1x1 head: z [B, 3, T', H, W]. */
    private static Tensor head(NervSpec spec, Params p, Tensor feature) {
        int last = 4 + 2 * spec.blocks();
        return BatchConv.conv1x1(feature, p.get(last), p.get(last + 1));
    }

    /** t_j = linspace(0, 1, T)[j] = j / (T - 1), computed in float64 (0 for T = 1). */
    public static double frameTime(NervSpec spec, int j) {
        return spec.timesteps() == 1 ? 0.0 : (double) j / (spec.timesteps() - 1);
    }

    /**
     * The positional encoding of the selected frames, [B, T', 2 levels], interleaved as the
     * reference's posenc: (sin(t 1.25^0 pi), cos(t 1.25^0 pi), sin(t 1.25^1 pi), cos(...), ...).
     * Computed in float64, then cast. A constant: nothing is differentiated with respect to t.
     */
    public static Tensor encode(NervSpec spec, int[][] frames, DType dtype) {
        int b = frames.length;
        int k = frames[0].length;
        int d = spec.encodingDim();
        double[] v = new double[b * k * d];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < k; j++) {
                double t = frameTime(spec, frames[i][j]);
                int o = (i * k + j) * d;
                for (int l = 0; l < spec.levels(); l++) {
                    double a = t * Math.pow(NervSpec.EMBED_BASE, l) * Math.PI;
                    v[o + 2 * l] = Math.sin(a);
                    v[o + 2 * l + 1] = Math.cos(a);
                }
            }
        }
        return Tensor.of(dtype, v, b, k, d);
    }

    /**
     * PyTorch's default init of nn.Linear / nn.Conv2d (kaiming-uniform with a = sqrt 5): weights
     * and biases ~ U(-1/sqrt(fanIn), 1/sqrt(fanIn)), fanIn = in features or Cin * kh * kw. Shared
     * parameters in {@link NervSpec#params()} order, drawn in float64 (weight, then bias, per layer).
     */
    public static Params init(NervSpec spec, long seed, DType dtype) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<ParamSpec> specs = spec.params();
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < specs.size(); i += 2) {
            int[] w = specs.get(i).shape();
            double r = 1.0 / Math.sqrt(specs.get(i).size() / w[0]);
            out.add(Tensor.uniform(dtype, rng, -r, r, w));
            out.add(Tensor.uniform(dtype, rng, -r, r, specs.get(i + 1).shape()));
        }
        return new Params(out);
    }

    private static int[][] allFrames(NervSpec spec, int batch) {
        int[][] idx = new int[batch][spec.timesteps()];
        for (int[] row : idx) {
            Arrays.setAll(row, j -> j);
        }
        return idx;
    }

    /** Checks per-signal params against the spec and returns the batch size B. */
    private static int checkParams(NervSpec spec, Params p) {
        List<ParamSpec> specs = spec.params();
        if (p.size() != specs.size()) {
            throw new IllegalArgumentException("NeRV " + spec + " needs " + specs.size() + " parameter tensors, got "
                    + p.size());
        }
        int b = p.get(0).dim(0);
        for (int i = 0; i < specs.size(); i++) {
            int[] want = specs.get(i).shape();
            int[] got = p.get(i).shape().dims();
            int[] perSignal = new int[want.length + 1];
            perSignal[0] = b;
            System.arraycopy(want, 0, perSignal, 1, want.length);
            if (!Arrays.equals(got, perSignal)) {
                throw new IllegalArgumentException(specs.get(i).name() + " has shape " + Arrays.toString(got)
                        + ", expected per-signal " + Arrays.toString(perSignal) + "; copy shared parameters with "
                        + "Params.perSignal(B)");
            }
        }
        return b;
    }

    private static int[][] checkFrames(NervSpec spec, int[][] frames, int batch) {
        if (frames.length != batch || frames[0].length == 0) {
            throw new IllegalArgumentException("frame indices need " + batch + " non-empty rows (one per signal), got "
                    + frames.length);
        }
        for (int[] row : frames) {
            if (row.length != frames[0].length) {
                throw new IllegalArgumentException("every signal must select the same number of frames, got rows of "
                        + row.length + " and " + frames[0].length);
            }
            for (int j : row) {
                if (j < 0 || j >= spec.timesteps()) {
                    throw new IllegalArgumentException("frame index " + j + " out of range [0, " + spec.timesteps()
                            + ")");
                }
            }
        }
        return frames;
    }
}
