package gradncp.nn;

import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * SIREN as a pure function of (spec, params, coordinates) (ALGORITHM.md, SIREN):
 * h_l = sin(w0 (h_{l-1} W_l^T + b_l)) for l < depth-1; f = h W_L^T + b_L + 0.5.
 * Params may be shared or per signal (leading batch axis); coordinates [N, in] or [B, N, in].
 */
public final class Siren {
    /** The fixed output offset of the reference (f = W h + b + 0.5). */
    public static final double OUTPUT_OFFSET = 0.5;

    private Siren() {}

    /** The prediction and the penultimate feature phi (the last hidden layer after its sine). */
    public record Features(Tensor out, Tensor hidden) {}

    /** Output [B, N, out] (or [N, out] for shared params and coordinates). */
    public static Tensor forward(SirenSpec spec, Params p, Tensor coords) {
        return features(spec, p, coords).out();
    }

    public static Features features(SirenSpec spec, Params p, Tensor coords) {
        if (p.size() != 2 * spec.depth()) {
            throw new IllegalArgumentException("SIREN of depth " + spec.depth() + " needs " + 2 * spec.depth()
                    + " parameter tensors, got " + p.size());
        }
        if (coords.dim(-1) != spec.inDim()) {
            throw new IllegalArgumentException("coordinates " + coords.shape() + " do not match the SIREN input width "
                    + spec.inDim());
        }
        Tensor h = coords;
        boolean graph = Autodiff.recording();
        for (int l = 0; l < spec.depth() - 1; l++) {
            Tensor[] zh = h.linearSinw(p.get(2 * l), p.get(2 * l + 1), spec.w0()); // [B, N, width]
            Tensor z = zh[0];
            Tensor next = zh[1];
            if (!graph) { // no graph holds them: free at once, so inference keeps ~2 activations
                if (z != null) { // null: computed in place under noGrad
                    z.release();
                }
                if (h != coords) {
                    h.release();
                }
            }
            h = next;
        }
        int last = spec.depth() - 1;
        Tensor out = spec.output(h.linear(p.get(2 * last), p.get(2 * last + 1))); // [B, N, out]
        return new Features(out, h);
    }

    /**
     * The SIREN initialisation (ALGORITHM.md, SIREN): weights AND biases ~ U(-r, r), r = 1/in for
     * the first layer and sqrt(6/in)/w0 for every other layer, the output layer included. Drawn in
     * float64.
     */
    public static Params init(SirenSpec spec, long seed, DType dtype) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Tensor> out = new ArrayList<>();
        for (int l = 0; l < spec.depth(); l++) {
            double r = spec.initRange(l);
            out.add(Tensor.uniform(dtype, rng, -r, r, spec.layerOut(l), spec.layerIn(l)));
            out.add(Tensor.uniform(dtype, rng, -r, r, spec.layerOut(l)));
        }
        return new Params(out);
    }
}
