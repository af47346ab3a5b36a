package gradncp.nn;

import gradncp.tensor.Tensor;

/**
 * A meta-batch of B signals of N context elements each: values [B, N, e...] in [0, 1], where
 * e... is the shape of one element (C channels of a pixel; H x W x 3 of a NeRV frame), and,
 * for decoders that read coordinates, the grid they share, coords [N, in] (null for decoders
 * that identify an element by its index, as NeRV does with frames). The full context is every
 * element; the same full signal is the outer target (ALGORITHM.md, Notation).
 */
public record Batch(Tensor coords, Tensor values) {
    public Batch {
        if (values.rank() < 3) {
            throw new IllegalArgumentException("batch values must be [B, N, element...], got " + values.shape());
        }
        if (coords != null && (coords.rank() != 2 || coords.dim(0) != values.dim(1))) {
            throw new IllegalArgumentException("a batch needs coords [N, in] and values [B, N, ...] with the same N, got "
                    + coords.shape() + " and " + values.shape());
        }
        if (coords != null && coords.dtype() != values.dtype()) {
            throw new IllegalArgumentException("coords and values must have one dtype, got " + coords.dtype()
                    + " and " + values.dtype());
        }
    }

    public int size() {
        return values.dim(0);
    }

    /** N, the context elements per signal. */
    public int points() {
        return values.dim(1);
    }

    /** Values per element (C for a pixel, H W 3 for a frame). */
    public int elementSize() {
        int n = 1;
        for (int a = 2; a < values.rank(); a++) {
            n *= values.dim(a);
        }
        return n;
    }

    /** The coordinates repeated per signal, [B, N, in] (for gathering a per-signal context). */
    public Tensor coordsPerSignal() {
        return coords.reshape(1, coords.dim(0), coords.dim(1)).expand(size(), coords.dim(0), coords.dim(1));
    }

    /** The target values of some elements: [B, k, e...]. */
    public Tensor targets(Elements e) {
        if (e.isAll(points())) {
            return values;
        }
        if (!e.picked()) {
            return values.slice(1, e.lo(), e.len());
        }
        if (values.rank() == 3) {
            return values.gather(e.idx());
        }
        int[] dims = values.shape().dims();
        int b = dims[0];
        int[] out = dims.clone();
        out[1] = e.count();
        return values.reshape(b, dims[1], elementSize()).gather(e.idx()).reshape(out);
    }
}
