package gradncp.meta;

import gradncp.nn.Nerv;
import gradncp.nn.NervSpec;
import gradncp.nn.Params;
import gradncp.tensor.Autodiff;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;

/**
 * Frame pruning for NeRV videos (ALGORITHM.md, NeRV frame score; reference models/wrapper.py
 * {@code gradncp}, decoder 'nerv'). Per signal and frame t, the reference's upper bound of the
 * head-gradient norm, score_t = ||(y_t - f_t) * (1 - tanh^2(z_t))||_2 * ||feature_t||_2, both norms
 * over (c, h, w), where z is the pre-tanh head output and the feature is the head's input (the
 * output map's factor 1/2 and the bias term are omitted, as in the reference). The floor(gamma T)
 * frames with the largest scores are kept; they are scored without gradient and are constants of
 * the graph. Videos are [B, T, 3, H, W] in [0, 1].
 */
public final class NervContext {
    private NervContext() {}

    /** Scores [B * T] (signal-major) at per-signal params p, computed detached in a scope of their own. */
    public static float[] scores(NervSpec spec, Params p, Tensor video) {
        checkVideo(spec, p, video);
        return Autodiff.noGrad(() -> {
            try (Memory.Scope scope = Memory.scope()) {
                Nerv.Features f = Nerv.features(spec, p.detach(), null);
                Tensor slope = f.z().tanh().square().neg().addScalar(1.0); // 1 - tanh^2(z)
                Tensor err = video.sub(f.frames()).mul(slope).square().sum(false, 2, 3, 4).sqrt(); // [B, T]
                Tensor feat = f.feature().square().sum(false, 2, 3, 4).sqrt(); // [B, T]
                return err.mul(feat).toFloatArray();
            }
        });
    }

    /** Frame indices [B][k] to keep, ascending per signal, k = floor(ratio T) (at least 1); null = all frames. */
    public static int[][] select(NervSpec spec, Params p, Tensor video, double ratio) {
        if (!(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("contextRatio must be in (0, 1], got " + ratio);
        }
        int t = spec.timesteps();
        int k = Context.keep(t, ratio);
        if (k >= t) {
            return null;
        }
        float[] score = scores(spec, p, video);
        int[][] idx = new int[video.dim(0)][];
        for (int b = 0; b < idx.length; b++) {
            idx[b] = Context.topK(score, b * t, t, k);
        }
        return idx;
    }

    /** The selected frames of a video: [B, T, 3, H, W] -> [B, k, 3, H, W] (null: the whole video). */
    public static Tensor gather(Tensor video, int[][] frames) {
        if (frames == null) {
            return video;
        }
        int b = video.dim(0);
        int c = video.dim(2);
        int h = video.dim(3);
        int w = video.dim(4);
        return video.reshape(b, video.dim(1), c * h * w).gather(frames).reshape(b, frames[0].length, c, h, w);
    }

    /** Per-signal MSE over the selected frames, channels and pixels -> [B] (null frames: the full video). */
    public static Tensor loss(NervSpec spec, Params p, Tensor video, int[][] frames) {
        checkVideo(spec, p, video);
        Tensor pred = Nerv.forward(spec, p, frames);
        return pred.sub(gather(video, frames)).square().mean(false, 1, 2, 3, 4);
    }

    static void checkVideo(NervSpec spec, Params p, Tensor video) {
        int r = spec.resolution();
        boolean ok = video.rank() == 5 && video.dim(0) == p.get(0).dim(0) && video.dim(1) == spec.timesteps()
                && video.dim(2) == NervSpec.OUT_CHANNELS && video.dim(3) == r && video.dim(4) == r;
        if (!ok) {
            throw new IllegalArgumentException("video must be [B, T, 3, H, W] = [" + p.get(0).dim(0) + ", "
                    + spec.timesteps() + ", 3, " + r + ", " + r + "] for " + spec + ", got " + video.shape());
        }
        if (video.dtype() != p.dtype()) {
            throw new IllegalArgumentException("video and params must have one dtype, got " + video.dtype() + " and "
                    + p.dtype() + "; convert with .to(DType)");
        }
    }
}
