package gradncp.tensor;

/**
 * One differentiable operation: its inputs and its backward rule. The forward lives beside it in
 * the op's record (see {@link Ops}). A backward rule receives the output and the incoming
 * gradient and returns one gradient per input (null where an input needs none), written only
 * with {@link Tensor} operations, so that the gradient is itself differentiable.
 */
interface Op {
    Tensor[] inputs();

    Tensor[] backward(Tensor out, Tensor grad);

    /**
     * The detached backward as contributions that {@link Autodiff} sums lazily (one per input,
     * null where an input needs none), or null to use {@link #backward}. Called only outside the
     * graph (detached mode), so the terms need not be differentiable.
     */
    default GradTerms.Term[] detachedTerms(Tensor out, Tensor grad) {
        return null;
    }

    /**
     * How to recompute this op's output from its inputs alone, cheaply (an elementwise pass), or
     * null. The differentiable backward then does not keep such intermediates: it evicts them when
     * it is done and they are recomputed if a later backward reads them.
     */
    default Storage.Remat remat() {
        return null;
    }

    default String name() {
        return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
