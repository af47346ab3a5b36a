package gradncp.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

/** Name and shape of one shared parameter tensor (per-signal copies add a leading batch axis). */
public record ParamSpec(String name, int[] shape) {
    /** Number of scalars. */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /**
     * The parameters of a stack of depth linear layers, in the reference's order and names:
     * layers.{l}.weight [out(l), in(l)], then layers.{l}.bias [out(l)], for l = 0..depth-1.
     */
    public static List<ParamSpec> linearLayers(int depth, IntUnaryOperator in, IntUnaryOperator out) {
        List<ParamSpec> specs = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            specs.add(new ParamSpec("layers." + l + ".weight", new int[] {out.applyAsInt(l), in.applyAsInt(l)}));
            specs.add(new ParamSpec("layers." + l + ".bias", new int[] {out.applyAsInt(l)}));
        }
        return specs;
    }
}
