package gradncp.tensor;

/**
 * The operation set, and the checks its families share. Each op is a record holding its inputs
 * (and constants), with its forward ({@code apply}) and backward side by side. Backward rules use
 * only {@link Tensor} methods, so gradients of gradients work to any order. The ops live by
 * family: {@link ElementwiseOps}, {@link ReduceOps}, {@link MovementOps}, {@link MatrixOps},
 * {@link LayerOps} (the fused linear and sine of a network layer), {@link IndexOps} (gather and
 * scatter) and {@link ConvOps}.
 */
final class Ops {
    private Ops() {}

    static void sameDType(String op, Tensor a, Tensor b) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(op + ": dtypes differ (" + a.dtype() + " vs " + b.dtype()
                    + "); convert one with .to(DType)");
        }
    }

    /** Per-output-dimension strides of an operand broadcast to out (0 on broadcast axes). */
    static int[] broadcastStrides(Shape in, Shape out) {
        int[] s = new int[out.rank()];
        int[] is = in.strides();
        int lead = out.rank() - in.rank();
        for (int i = lead; i < out.rank(); i++) {
            s[i] = in.dim(i - lead) == 1 ? 0 : is[i - lead];
        }
        return s;
    }
}
