package gradncp.nn;

import gradncp.config.MetaConfig;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Shape of a NeRV video network (Chen et al., 2021) as GradNCP meta-learns it (ALGORITHM.md, NeRV;
 * reference models/inr/metanerv.py): frame index t -> positional encoding (2 * levels dims) ->
 * stem MLP levels*2 -> stemWidth -> channels[0]*baseSize^2 (GELU after each layer), reshaped to
 * channels[0] x baseSize x baseSize -> one block per stride s (3x3 conv to channels[i+1] s^2,
 * PixelShuffle(s), GELU) -> 1x1 conv head to 3 channels -> (tanh(z) + 1) / 2.
 *
 * <p>The reference configs are {@link #small} (strides [4,2,2,2], 128 px) and {@link #large}
 * (strides [4,2,2,2,2], 256 px). The canonical constructor builds any other (e.g. tiny test nets).
 *
 * @param timesteps frames T of a video; the input is t = linspace(0, 1, T)
 * @param levels positional-encoding levels (40): sin and cos of t 1.25^i pi, i < levels
 * @param stemWidth hidden width of the stem MLP (512)
 * @param baseSize side of the stem's output feature map (4)
 * @param strides upsampling factor of each block
 * @param channels channels[0] is the stem output (32), channels[i + 1] the output of block i
 */
public record NervSpec(int timesteps, int levels, int stemWidth, int baseSize, int[] strides, int[] channels)
        implements Decoder {
    /** The reference configurations (metanerv.py small_config / large_config). */
    public enum Config {
        SMALL(4, 2, 2, 2),
        LARGE(4, 2, 2, 2, 2);

        private final int[] strides;

        Config(int... strides) {
            this.strides = strides;
        }
    }

    /** Base of the positional encoding's geometric frequencies (embed_base). */
    public static final double EMBED_BASE = 1.25;
    /** Output channels (RGB). */
    public static final int OUT_CHANNELS = 3;

    public NervSpec {
        strides = strides.clone();
        channels = channels.clone();
        if (timesteps < 1 || levels < 1 || stemWidth < 1 || baseSize < 1) {
            throw new IllegalArgumentException("NeRV sizes must be positive, got timesteps=" + timesteps + " levels="
                    + levels + " stemWidth=" + stemWidth + " baseSize=" + baseSize);
        }
        if (channels.length != strides.length + 1) {
            throw new IllegalArgumentException("NeRV needs one channel count per block plus the stem's, got "
                    + strides.length + " strides and " + channels.length + " channels " + Arrays.toString(channels));
        }
        for (int v : strides) {
            if (v < 1) {
                throw new IllegalArgumentException("NeRV strides must be >= 1, got " + Arrays.toString(strides));
            }
        }
        for (int v : channels) {
            if (v < 1) {
                throw new IllegalArgumentException("NeRV channels must be >= 1, got " + Arrays.toString(channels));
            }
        }
    }

    /** The reference network for a config: 40 levels, stem 512, 32 x 4 x 4, channels from {@link #channelsFor}. */
    public static NervSpec of(Config config, int timesteps) {
        return new NervSpec(timesteps, 40, 512, 4, config.strides, channelsFor(32, config.strides));
    }

    public static NervSpec small(int timesteps) {
        return of(Config.SMALL, timesteps);
    }

    public static NervSpec large(int timesteps) {
        return of(Config.LARGE, timesteps);
    }

    /**
     * The reference channel rule: the first stage expands x4, each later stage halves (keeps, for
     * stride 1) with a floor of 32. For base 32 and [4,2,2,2]: 32, 128, 64, 32, 32.
     */
    public static int[] channelsFor(int base, int[] strides) {
        int[] c = new int[strides.length + 1];
        c[0] = base;
        for (int i = 0; i < strides.length; i++) {
            c[i + 1] = i == 0 ? c[i] * 4 : Math.max(c[i] / (strides[i] == 1 ? 1 : 2), 32);
        }
        return c;
    }

    @Override
    public int[] strides() {
        return strides.clone();
    }

    @Override
    public int[] channels() {
        return channels.clone();
    }

    public int blocks() {
        return strides.length;
    }

    public int stride(int block) {
        return strides[block];
    }

    /** Channels entering block i (i = blocks() is the head's input, the pruning feature). */
    public int channelsIn(int block) {
        return channels[block];
    }

    /** Input width of the stem: sin and cos per level. */
    public int encodingDim() {
        return 2 * levels;
    }

    /** Output side length in pixels: baseSize times the product of the strides. */
    public int resolution() {
        int r = baseSize;
        for (int s : strides) {
            r *= s;
        }
        return r;
    }

    /**
     * The NeRV of a config: T = {@code frames}, output side = {@code resolution} (4 * 2^k: strides
     * 4, 2, 2, ... as the reference's small/large), stem width = {@code width}, 40 levels, 32 x 4 x 4.
     * inDim and channels are checked against the data by {@link #layout}.
     */
    public static NervSpec fromConfig(MetaConfig cfg, int inDim, int channels) {
        int q = cfg.resolution() / 4;
        if (cfg.resolution() % 4 != 0 || q < 2 || Integer.bitCount(q) != 1) {
            throw new IllegalArgumentException("decoder=nerv needs resolution = 4 * 2^k (8, 16, 32, 64, 128, 256), got "
                    + cfg.resolution());
        }
        List<Integer> s = new ArrayList<>();
        if (q >= 4) {
            s.add(4);
            q /= 4;
        }
        for (; q > 1; q /= 2) {
            s.add(2);
        }
        int[] strides = s.stream().mapToInt(Integer::intValue).toArray();
        return new NervSpec(cfg.frames(), 40, cfg.width(), 4, strides, channelsFor(32, strides));
    }

    /** The inverse of {@link #specMap}. */
    public static NervSpec fromSpec(Map<String, Object> m) {
        return new NervSpec(((Number) m.get("timesteps")).intValue(), ((Number) m.get("levels")).intValue(),
                ((Number) m.get("stemWidth")).intValue(), ((Number) m.get("baseSize")).intValue(),
                ints(m.get("strides")), ints(m.get("channels")));
    }

    private static int[] ints(Object list) {
        return ((List<?>) list).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    @Override
    public String tag() {
        return "nerv";
    }

    @Override
    public Map<String, Object> specMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("timesteps", timesteps);
        m.put("levels", levels);
        m.put("stemWidth", stemWidth);
        m.put("baseSize", baseSize);
        m.put("strides", Arrays.stream(strides).boxed().toList());
        m.put("channels", Arrays.stream(channels).boxed().toList());
        return m;
    }

    @Override
    public Params init(long seed, DType dtype) {
        return Nerv.init(this, seed, dtype);
    }

    /** One element per frame, holding its pixels channels-last: [T, H, W, 3] from a video's (t, h, w) grid. */
    @Override
    public int[] layout(int inDim, int points, int channels) {
        int r = resolution();
        if (inDim != 3 || channels != OUT_CHANNELS || points != timesteps * r * r) {
            throw new IllegalArgumentException("decoder=nerv needs RGB videos (modality=video, channels=3) of "
                    + timesteps + " frames of " + r + "x" + r + ", got " + channels + " channel(s) on " + points
                    + " points of dimension " + inDim);
        }
        return new int[] {timesteps, r, r, OUT_CHANNELS};
    }

    @Override
    public boolean readsCoords() {
        return false;
    }

    /** Frames [B, k, H, W, 3] for the selected frame indices (channels last, as the signals are stored). */
    @Override
    public Tensor forward(Params p, Batch batch, Elements e) {
        return Nerv.forward(this, p, frames(batch, e)).permute(0, 1, 3, 4, 2);
    }

    /** The frame indices of elements e, per signal; null for every frame (Nerv's convention). */
    private int[][] frames(Batch batch, Elements e) {
        return e.isAll(timesteps) ? null : e.rows(batch.size());
    }

    /** f = (tanh(z) + 1) / 2, z the head's output. */
    @Override
    public Tensor output(Tensor raw) {
        return raw.tanh().addScalar(1.0).scale(0.5);
    }

    /**
     * Per-frame scores, not squared: ||(y - f) (1 - tanh^2 z)|| ||feature|| (lastLayer), both norms
     * over (c, h, w), or ||y - f||. The frame loss l_t = mean_(c,h,w) (y - f)^2 has head-weight
     * gradient -(2 / 3HW) sum_pixels [(y - f)(1 - tanh^2 z) / 2] feature_pixel^T, whose Frobenius
     * norm is at most (1 / 3HW) ||(y - f)(1 - tanh^2 z)|| ||feature|| (triangle and Cauchy-Schwarz
     * inequalities): the score is this upper bound without its constant and without the bias term,
     * as in the reference (ALGORITHM.md, NeRV frame score).
     */
    @Override
    public Tensor scores(Params p, Batch batch, Elements range, boolean lastLayer) {
        Nerv.Features f = Nerv.features(this, p, frames(batch, range));
        Tensor diff = batch.targets(range).permute(0, 1, 4, 2, 3).sub(f.frames()); // [B, k, 3, H, W]
        if (!lastLayer) {
            return diff.square().sum(false, 2, 3, 4).sqrt();
        }
        Tensor slope = f.z().tanh().square().neg().addScalar(1.0); // 1 - tanh^2(z)
        Tensor err = diff.mul(slope).square().sum(false, 2, 3, 4).sqrt(); // [B, k]
        Tensor feat = f.feature().square().sum(false, 2, 3, 4).sqrt(); // [B, k]
        return err.mul(feat);
    }

    /** The whole video in one pass (frames are rendered independently, and T is small). */
    @Override
    public int chunk(int b, int n) {
        return n;
    }

    /**
     * Parameter names and shapes, in forward order: stem.{0,1}.weight [out, in] / .bias [out],
     * blocks.{i}.conv.weight [C_{i+1} s^2, C_i, 3, 3] / .bias, head.weight [3, C, 1, 1] / .bias.
     * (The reference names them stems.{l}.linear.*, layers.{i}.conv.*, last_layers.conv.*.)
     */
    @Override
    public List<ParamSpec> params() {
        List<ParamSpec> out = new ArrayList<>();
        int stemOut = channels[0] * baseSize * baseSize;
        out.add(new ParamSpec("stem.0.weight", new int[] {stemWidth, encodingDim()}));
        out.add(new ParamSpec("stem.0.bias", new int[] {stemWidth}));
        out.add(new ParamSpec("stem.1.weight", new int[] {stemOut, stemWidth}));
        out.add(new ParamSpec("stem.1.bias", new int[] {stemOut}));
        for (int i = 0; i < blocks(); i++) {
            int cout = channels[i + 1] * strides[i] * strides[i];
            out.add(new ParamSpec("blocks." + i + ".conv.weight", new int[] {cout, channels[i], 3, 3}));
            out.add(new ParamSpec("blocks." + i + ".conv.bias", new int[] {cout}));
        }
        out.add(new ParamSpec("head.weight", new int[] {OUT_CHANNELS, channels[blocks()], 1, 1}));
        out.add(new ParamSpec("head.bias", new int[] {OUT_CHANNELS}));
        return out;
    }


    @Override
    public boolean equals(Object o) {
        return o instanceof NervSpec s && s.timesteps == timesteps && s.levels == levels
                && s.stemWidth == stemWidth && s.baseSize == baseSize && Arrays.equals(s.strides, strides)
                && Arrays.equals(s.channels, channels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timesteps, levels, stemWidth, baseSize, Arrays.hashCode(strides),
                Arrays.hashCode(channels));
    }

    @Override
    public String toString() {
        return "NervSpec[timesteps=" + timesteps + ", levels=" + levels + ", stemWidth=" + stemWidth + ", baseSize="
                + baseSize + ", strides=" + Arrays.toString(strides) + ", channels=" + Arrays.toString(channels) + "]";
    }
}
