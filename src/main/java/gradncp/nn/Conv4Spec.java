package gradncp.nn;

import gradncp.config.MetaConfig;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Conv-4 classifier as a decoder ({@link Conv4}; ALGORITHM.md, Classification): a context
 * element is one support example of an episode, its input an image [C, size, size] in
 * {@link Batch#inputs}, its value a one-hot label of {@code ways} classes; the loss is
 * cross-entropy and the outer target is the episode's query set ({@link Batch#outer}).
 *
 * @param channels image channels (1 for glyphs)
 * @param size image side in pixels (at least 16: four 2x2 pools)
 * @param width channels of every conv block
 * @param ways classes per episode: the head's outputs
 * @param groups channel groups of the group norm (divides width)
 */
public record Conv4Spec(int channels, int size, int width, int ways, int groups) implements Decoder {
    /** Values held in a full-context chunk's largest activation per signal, times elements. */
    private static final long CHUNK_VALUES = 1L << 20;

    public Conv4Spec {
        if (channels < 1 || width < 1 || ways < 2 || groups < 1 || width % groups != 0) {
            throw new IllegalArgumentException("Conv-4 needs channels >= 1, width >= 1, ways >= 2 and groups dividing"
                    + " width, got channels=" + channels + " width=" + width + " ways=" + ways + " groups=" + groups);
        }
        if (size < 16) {
            throw new IllegalArgumentException("Conv-4 halves the image four times: it needs size >= 16, got " + size);
        }
    }

    /**
     * From a config: resolution (image side), channels, width, ways; groups 4 when the width
     * allows it (else 1). inDim and channels of the data are checked by {@link #layout}.
     */
    public static Conv4Spec fromConfig(MetaConfig cfg, int inDim, int channels) {
        return new Conv4Spec(cfg.channels(), cfg.resolution(), cfg.width(), cfg.ways(), cfg.width() % 4 == 0 ? 4 : 1);
    }

    /** The inverse of {@link #specMap}. */
    public static Conv4Spec fromSpec(Map<String, Object> m) {
        return new Conv4Spec(num(m, "channels"), num(m, "size"), num(m, "width"), num(m, "ways"), num(m, "groups"));
    }

    private static int num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).intValue();
    }

    /** Side of the last block's output: size halved (floor) four times. */
    public int featureSide() {
        int s = size;
        for (int i = 0; i < Conv4.BLOCKS; i++) {
            s /= 2;
        }
        return s;
    }

    /** F, the length of the penultimate feature phi. */
    public int featureDim() {
        return width * featureSide() * featureSide();
    }

    @Override
    public String tag() {
        return "conv4";
    }

    @Override
    public Map<String, Object> specMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("channels", channels);
        m.put("size", size);
        m.put("width", width);
        m.put("ways", ways);
        m.put("groups", groups);
        return m;
    }

    /**
     * Parameter names and shapes in forward order: blocks.{i}.conv.weight [width, Cin, 3, 3] /
     * .bias [width], blocks.{i}.norm.weight / .bias [width], head.weight [ways, F] / .bias [ways].
     */
    @Override
    public List<ParamSpec> params() {
        List<ParamSpec> out = new ArrayList<>();
        for (int i = 0; i < Conv4.BLOCKS; i++) {
            out.add(new ParamSpec("blocks." + i + ".conv.weight", new int[] {width, i == 0 ? channels : width, 3, 3}));
            out.add(new ParamSpec("blocks." + i + ".conv.bias", new int[] {width}));
            out.add(new ParamSpec("blocks." + i + ".norm.weight", new int[] {width}));
            out.add(new ParamSpec("blocks." + i + ".norm.bias", new int[] {width}));
        }
        out.add(new ParamSpec("head.weight", new int[] {ways, featureDim()}));
        out.add(new ParamSpec("head.bias", new int[] {ways}));
        return out;
    }

    @Override
    public Params init(long seed, DType dtype) {
        return Conv4.init(this, seed, dtype);
    }

    /**
     * An episode's values are its N one-hot labels: [N, ways]. The images travel separately, in
     * {@link Batch#inputs}. Fields (points on a grid) cannot be classified.
     */
    @Override
    public int[] layout(int inDim, int points, int channels) {
        if (channels != ways) {
            throw new IllegalArgumentException("decoder=conv4 classifies episodes (modality=classification) into "
                    + ways + " ways: it needs one-hot labels of " + ways + " values per element, got " + channels
                    + " channel(s) on " + points + " points of dimension " + inDim);
        }
        return new int[] {points, ways};
    }

    @Override
    public boolean readsCoords() {
        return false;
    }

    /** Logits [B, k, ways] of the elements' images. */
    @Override
    public Tensor forward(Params p, Batch batch, Elements e) {
        return Conv4.forward(this, p, batch.inputs(e));
    }

    /** The logits themselves: the softmax belongs to the loss. */
    @Override
    public Tensor output(Tensor raw) {
        return raw;
    }

    /** Per-episode mean cross-entropy over the elements: [B, k, ways] x one-hot [B, k, ways] -> [B]. */
    @Override
    public Tensor loss(Tensor pred, Tensor target) {
        return Conv4.crossEntropy(pred, target).mean(false, 1);
    }

    @Override
    public Tensor chunkLoss(Tensor pred, Tensor target, int n) {
        return Conv4.crossEntropy(pred, target).sum().scale(1.0 / n);
    }

    /**
     * Per-example scores: ||softmax(z) - y|| sqrt(||phi||^2 + 1) (lastLayer), or ||softmax(z) - y||.
     * The example's loss l = CE(W phi + c, y) has head gradients dl/dW = (softmax(z) - y) phi^T
     * and dl/dc = softmax(z) - y, a rank-one matrix [W c] gradient (softmax(z) - y) [phi; 1]^T
     * whose Frobenius norm is the product of the two vector norms: the score is the exact norm of
     * the last-layer gradient, not a bound (ALGORITHM.md, Classification score).
     */
    @Override
    public Tensor scores(Params p, Batch batch, Elements range, boolean lastLayer) {
        Conv4.Features f = Conv4.features(this, p, batch.inputs(range));
        Tensor err = Conv4.softmax(f.logits()).sub(batch.targets(range)).square().sum(false, 2).sqrt(); // [B, k]
        if (!lastLayer) {
            return err;
        }
        return err.mul(f.phi().square().sum(false, 2).addScalar(1.0).sqrt());
    }

    /** Images per chunk so that one chunk's widest activation (the first block's) holds about 1M values. */
    @Override
    public int chunk(int b, int n) {
        long perImage = (long) b * width * size * size;
        return (int) Math.max(1, Math.min(n, CHUNK_VALUES / perImage));
    }
}
