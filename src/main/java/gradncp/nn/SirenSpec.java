package gradncp.nn;

import gradncp.config.MetaConfig;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shape of a SIREN (Sitzmann et al., 2020) as GradNCP uses it (ALGORITHM.md, SIREN): {@code depth}
 * linear layers in all, the first depth-1 followed by sin(w0 ·), the last linear plus a fixed +0.5.
 * CelebA: inDim 2, width 256, depth 5, outDim 3, w0 30.
 */
public record SirenSpec(int inDim, int width, int depth, int outDim, double w0) implements Decoder {
    /** Points per chunk times signals of a full-context pass: bounds one activation to 2^18 rows. */
    public static final int CHUNK_ROWS = 1 << 18;

    public SirenSpec {
        if (inDim < 1 || width < 1 || outDim < 1) {
            throw new IllegalArgumentException("SIREN dimensions must be positive, got in=" + inDim
                    + " width=" + width + " out=" + outDim);
        }
        if (depth < 2) {
            throw new IllegalArgumentException("SIREN depth counts linear layers and must be >= 2, got " + depth);
        }
        if (!(w0 > 0) || !Double.isFinite(w0)) {
            throw new IllegalArgumentException("w0 must be a positive number, got " + w0);
        }
    }

    /** Input width of layer l. */
    public int layerIn(int l) {
        return l == 0 ? inDim : width;
    }

    /** Output width of layer l. */
    public int layerOut(int l) {
        return l == depth - 1 ? outDim : width;
    }

    /** The SIREN of a config for data with inDim coordinates and channels values per point. */
    public static SirenSpec fromConfig(MetaConfig cfg, int inDim, int channels) {
        return new SirenSpec(inDim, cfg.width(), cfg.depth(), channels, cfg.w0());
    }

    /** The inverse of {@link #specMap}. */
    public static SirenSpec fromSpec(Map<String, Object> s) {
        return new SirenSpec(((Number) s.get("inDim")).intValue(), ((Number) s.get("width")).intValue(),
                ((Number) s.get("depth")).intValue(), ((Number) s.get("outDim")).intValue(),
                ((Number) s.get("w0")).doubleValue());
    }

    @Override
    public String tag() {
        return "siren";
    }

    @Override
    public Map<String, Object> specMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("inDim", inDim);
        m.put("width", width);
        m.put("depth", depth);
        m.put("outDim", outDim);
        m.put("w0", w0);
        return m;
    }

    @Override
    public Params init(long seed, DType dtype) {
        return Siren.init(this, seed, dtype);
    }

    /** One element per grid point, holding its channels: [points, channels]. */
    @Override
    public int[] layout(int inDim, int points, int channels) {
        if (inDim != this.inDim || channels != outDim) {
            throw new IllegalArgumentException("this SIREN maps " + this.inDim + " -> " + outDim
                    + " but the data needs " + inDim + " -> " + channels
                    + "; use data of the modality and channels the network was made for");
        }
        return new int[] {points, channels};
    }

    @Override
    public boolean readsCoords() {
        return true;
    }

    @Override
    public Tensor forward(Params p, Batch batch, Elements e) {
        return Siren.forward(this, p, batch.coords(e));
    }

    /** f = W_L phi + b_L + 0.5: the reference's fixed output offset. */
    @Override
    public Tensor output(Tensor raw) {
        return raw.addScalar(Siren.OUTPUT_OFFSET);
    }

    /**
     * Squared scores ||e_i||^2 (||phi_i||^2 + 1) (lastLayer) or ||e_i||^2, e_i = y_i - f(x_i). The
     * per-point loss l_i = ||e_i||^2 / C has last-layer gradient d l_i / d[W_L, b_L] =
     * -(2/C) e_i [phi_i; 1]^T, whose Frobenius norm is (2/C) ||e_i|| sqrt(||phi_i||^2 + 1)
     * (ALGORITHM.md, Context selection). Squares rank like the norms and save a square root per
     * point; the constant 2/C does not change the ranking.
     */
    @Override
    public Tensor scores(Params p, Batch batch, Elements range, boolean lastLayer) {
        Siren.Features f = Siren.features(this, p, batch.coords(range));
        Tensor err = batch.targets(range).sub(f.out()).sumSquares(); // [B, len]
        return lastLayer ? err.mul(f.hidden().sumSquares().addScalar(1.0)) : err;
    }

    @Override
    public int chunk(int b, int n) {
        return Math.max(1, CHUNK_ROWS / b);
    }

    /** Parameter names and shapes, in the reference's order: layers.{l}.weight [out, in], layers.{l}.bias [out]. */
    @Override
    public List<ParamSpec> params() {
        return ParamSpec.linearLayers(depth, this::layerIn, this::layerOut);
    }


    /** Init range r of layer l: U(-r, r) for weights and biases (ALGORITHM.md, SIREN). */
    public double initRange(int l) {
        return l == 0 ? 1.0 / inDim : Math.sqrt(6.0 / layerIn(l)) / w0;
    }

}
