package gradncp.nn;

import java.util.ArrayList;
import java.util.List;

/**
 * Shape of a SIREN (Sitzmann et al., 2020) as GradNCP uses it (ALGORITHM.md, SIREN): {@code depth}
 * linear layers in all, the first depth-1 followed by sin(w0 ·), the last linear plus a fixed +0.5.
 * CelebA: inDim 2, width 256, depth 5, outDim 3, w0 30.
 */
public record SirenSpec(int inDim, int width, int depth, int outDim, double w0) {
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

    /** Parameter names and shapes, in the reference's order: layers.{l}.weight [out, in], layers.{l}.bias [out]. */
    public List<ParamSpec> params() {
        List<ParamSpec> out = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            out.add(new ParamSpec("layers." + l + ".weight", new int[] {layerOut(l), layerIn(l)}));
            out.add(new ParamSpec("layers." + l + ".bias", new int[] {layerOut(l)}));
        }
        return out;
    }

    /** Number of scalar parameters (198,915 for the CelebA network). */
    public long parameterCount() {
        long n = 0;
        for (ParamSpec p : params()) {
            n += p.size();
        }
        return n;
    }

    /** Init range r of layer l: U(-r, r) for weights and biases (ALGORITHM.md, SIREN). */
    public double initRange(int l) {
        return l == 0 ? 1.0 / inDim : Math.sqrt(6.0 / layerIn(l)) / w0;
    }

}
