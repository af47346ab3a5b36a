package gradncp.nn;

import gradncp.config.MetaConfig;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shape of a NeRF decoder ({@link Nerf}; ALGORITHM.md, NeRF): {@code depth} linear layers (GELU
 * between them) of {@code width} units on the positional encoding of {@code samples} points per
 * ray with {@code posFreqs} frequencies (plus the view direction with {@code dirFreqs} when > 0);
 * the last layer has 4 outputs (rgb, density). A context element is a ray: coordinates
 * (origin, direction, near, far), values its RGB colour.
 */
public record NerfSpec(int width, int depth, int samples, int posFreqs, int dirFreqs, boolean white)
        implements Decoder {
    /** Ray-samples per chunk times signals of a full-context pass: bounds one activation. */
    public static final int CHUNK_SAMPLES = 1 << 16;

    public NerfSpec {
        if (width < 1 || samples < 1 || posFreqs < 0 || dirFreqs < 0) {
            throw new IllegalArgumentException("NeRF needs width >= 1, samples >= 1 and frequencies >= 0, got width="
                    + width + " samples=" + samples + " posFreqs=" + posFreqs + " dirFreqs=" + dirFreqs);
        }
        if (depth < 2) {
            throw new IllegalArgumentException("NeRF depth counts linear layers and must be >= 2, got " + depth);
        }
    }

    /** Width of a sample's encoding: 3 + 6 posFreqs, plus 3 + 6 dirFreqs with view directions. */
    public int encodedDim() {
        return 3 + 6 * posFreqs + (dirFreqs > 0 ? 3 + 6 * dirFreqs : 0);
    }

    public int layerIn(int l) {
        return l == 0 ? encodedDim() : width;
    }

    public int layerOut(int l) {
        return l == depth - 1 ? 4 : width;
    }

    public static NerfSpec fromConfig(MetaConfig cfg, int inDim, int channels) {
        return new NerfSpec(cfg.width(), cfg.depth(), cfg.raySamples(), cfg.posFreqs(), cfg.dirFreqs(),
                cfg.whiteBackground());
    }

    public static NerfSpec fromSpec(Map<String, Object> s) {
        return new NerfSpec(((Number) s.get("width")).intValue(), ((Number) s.get("depth")).intValue(),
                ((Number) s.get("samples")).intValue(), ((Number) s.get("posFreqs")).intValue(),
                ((Number) s.get("dirFreqs")).intValue(), (Boolean) s.get("white"));
    }

    @Override
    public String tag() {
        return "nerf";
    }

    @Override
    public Map<String, Object> specMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("width", width);
        m.put("depth", depth);
        m.put("samples", samples);
        m.put("posFreqs", posFreqs);
        m.put("dirFreqs", dirFreqs);
        m.put("white", white);
        return m;
    }

    @Override
    public List<ParamSpec> params() {
        return ParamSpec.linearLayers(depth, this::layerIn, this::layerOut);
    }

    @Override
    public Params init(long seed, DType dtype) {
        return Nerf.init(this, seed, dtype);
    }

    /** One element per ray, holding its RGB colour: [rays, 3]; the coordinates are the 8 ray numbers. */
    @Override
    public int[] layout(int inDim, int points, int channels) {
        if (inDim != Nerf.RAY_DIM || channels != 3) {
            throw new IllegalArgumentException("a NeRF maps rays (" + Nerf.RAY_DIM + " numbers: origin, direction,"
                    + " near, far) to RGB but the data has " + inDim + " coordinates and " + channels
                    + " channels; use multi-view scenes (modality=scene)");
        }
        return new int[] {points, 3};
    }

    @Override
    public boolean readsCoords() {
        return true;
    }

    @Override
    public Tensor forward(Params p, Batch batch, Elements e) {
        return Nerf.render(this, p, batch.coords(e));
    }

    /** The composited colour is the output; the raw outputs go through sigmoid/softplus inside forward. */
    @Override
    public Tensor output(Tensor raw) {
        return raw;
    }

    /** The exact per-ray last-layer gradient norm, squared (derived at {@link Nerf#scores}). */
    @Override
    public Tensor scores(Params p, Batch batch, Elements range, boolean lastLayer) {
        return Nerf.scores(this, p, batch.coords(range), batch.targets(range), lastLayer);
    }

    @Override
    public int chunk(int b, int n) {
        return Math.max(1, CHUNK_SAMPLES / (b * samples));
    }
}
