package gradncp.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
public record NervSpec(int timesteps, int levels, int stemWidth, int baseSize, int[] strides, int[] channels) {
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
     * Parameter names and shapes, in forward order: stem.{0,1}.weight [out, in] / .bias [out],
     * blocks.{i}.conv.weight [C_{i+1} s^2, C_i, 3, 3] / .bias, head.weight [3, C, 1, 1] / .bias.
     * (The reference names them stems.{l}.linear.*, layers.{i}.conv.*, last_layers.conv.*.)
     */
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

    /** Number of scalar parameters (1,302,115 for small, 1,339,107 for large). */
    public long parameterCount() {
        long n = 0;
        for (ParamSpec p : params()) {
            n += p.size();
        }
        return n;
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
