package gradncp.nn;

import gradncp.tensor.Tensor;

/**
 * A meta-batch of B signals of N context elements each: values [B, N, e...] in [0, 1], where
 * e... is the shape of one element (C channels of a pixel; H x W x 3 of a NeRV frame), and,
 * for decoders that read coordinates, the grid they share, coords [N, in] (null for decoders
 * that identify an element by its index, as NeRV does with frames). The full context is every
 * element; for a field the same full signal is the outer target (ALGORITHM.md, Notation).
 *
 * <p>Two optional parts serve tasks whose elements are not points of one signal (a classification
 * episode: ALGORITHM.md, Classification). inputs [B, N, in...] holds each element's own input
 * (a support image), values then hold its target (a one-hot label). query, when present, is the
 * batch the outer loss is measured on (the query set), held out from the inner loop; when null,
 * the outer target is this batch itself.
 */
public record Batch(Tensor coords, Tensor values, Tensor inputs, Batch query) {
    /** A batch of fields: no per-element inputs, and the signal itself is the outer target. */
    public Batch(Tensor coords, Tensor values) {
        this(coords, values, null, null);
    }

    /** An episode: per-element inputs [B, N, in...], targets [B, N, e...], and the query batch. */
    public static Batch episode(Tensor inputs, Tensor targets, Batch query) {
        return new Batch(null, targets, inputs, query);
    }

    public Batch {
        if (inputs != null && (inputs.rank() < 3 || inputs.dim(0) != values.dim(0) || inputs.dim(1) != values.dim(1))) {
            throw new IllegalArgumentException("a batch needs inputs [B, N, ...] matching values [B, N, ...], got "
                    + inputs.shape() + " and " + values.shape());
        }
        if (query != null && query.size() != values.dim(0)) {
            throw new IllegalArgumentException("a query batch needs the same B as its support batch, got "
                    + query.size() + " and " + values.dim(0));
        }
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

    /**
     * The coordinates of elements e (for decoders that read coordinates): the shared grid, a slice
     * of it for a shared range ([len, in]), or each signal's own gathered points for picked
     * elements ([B, k, in]).
     */
    public Tensor coords(Elements e) {
        if (e.isAll(points())) {
            return coords;
        }
        if (!e.picked()) {
            return coords.slice(0, e.lo(), e.len());
        }
        return coordsPerSignal().gather(e.idx());
    }

    /** The coordinates repeated per signal, [B, N, in] (for gathering a per-signal context). */
    public Tensor coordsPerSignal() {
        return coords.reshape(1, coords.dim(0), coords.dim(1)).expand(size(), coords.dim(0), coords.dim(1));
    }

    /** The batch the outer loss is measured on: the query set when there is one, else this batch. */
    public Batch outer() {
        return query == null ? this : query;
    }

    /** The target values of some elements: [B, k, e...]. */
    public Tensor targets(Elements e) {
        return pick(values, e);
    }

    /** The per-element inputs of some elements, [B, k, in...] (only for batches with inputs). */
    public Tensor inputs(Elements e) {
        if (inputs == null) {
            throw new IllegalStateException("this batch has no per-element inputs (a field's elements are known by"
                    + " their coordinates or index)");
        }
        return pick(inputs, e);
    }

    private Tensor pick(Tensor t, Elements e) {
        if (e.isAll(points())) {
            return t;
        }
        if (!e.picked()) {
            return t.slice(1, e.lo(), e.len());
        }
        if (t.rank() == 3) {
            return t.gather(e.idx());
        }
        int[] dims = t.shape().dims();
        int b = dims[0];
        int[] out = dims.clone();
        out[1] = e.count();
        return t.reshape(b, dims[1], t.size() / (b * dims[1])).gather(e.idx()).reshape(out);
    }
}
