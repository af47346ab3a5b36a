package gradncp.nn;

import gradncp.tensor.Tensor;

/**
 * A meta-batch of B signals on one shared coordinate grid: coords [N, in], values [B, N, C] in
 * [0, 1]. The full context is every point; the same full signal is the outer target (Learnit
 * convention; ALGORITHM.md, Notation).
 */
public record Batch(Tensor coords, Tensor values) {
    public Batch {
        if (coords.rank() != 2 || values.rank() != 3 || coords.dim(0) != values.dim(1)) {
            throw new IllegalArgumentException("a batch needs coords [N, in] and values [B, N, C] with the same N, got "
                    + coords.shape() + " and " + values.shape());
        }
        if (coords.dtype() != values.dtype()) {
            throw new IllegalArgumentException("coords and values must have one dtype, got " + coords.dtype()
                    + " and " + values.dtype());
        }
    }

    public int size() {
        return values.dim(0);
    }

    public int points() {
        return values.dim(1);
    }

    /** The coordinates repeated per signal, [B, N, in] (for gathering a per-signal context). */
    public Tensor coordsPerSignal() {
        return coords.reshape(1, coords.dim(0), coords.dim(1)).expand(size(), coords.dim(0), coords.dim(1));
    }
}
