package gradncp.tensor;

/**
 * The rectifier max(x, 0) and its derivative mask. The backward rule multiplies the incoming
 * gradient by a constant 0/1 mask of the input's sign, so the gradient is itself differentiable:
 * with respect to the incoming gradient it is the same mask, and with respect to x it is zero
 * wherever x != 0 (the rectifier is piecewise linear). At x = 0 the derivative is taken as 0.
 */
final class RectifierOps {
    private RectifierOps() {}

    record Relu(Tensor x) implements Op {
        static Tensor apply(Tensor x) {
            return Tensor.result(x.shape(), rectified(x, false).storage(), new Relu(x));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        public Tensor[] backward(Tensor y, Tensor g) {
            return new Tensor[] {g.mul(positive(x))};
        }
    }

    /** A constant (no graph) tensor of x's shape: 1 where x > 0, else 0. */
    static Tensor positive(Tensor x) {
        return rectified(x, true);
    }

    /** A constant tensor of x's shape, 0 where x <= 0 and elsewhere x (mask false) or 1 (mask true). */
    private static Tensor rectified(Tensor x, boolean mask) {
        Tensor out = Tensor.allocate(x.dtype(), x.shape(), false);
        if (out.isDry()) {
            x.array();
        } else if (x.dtype() == DType.F32) {
            float[] a = x.f();
            float[] o = out.f();
            for (int i = 0; i < x.size(); i++) {
                o[i] = a[i] > 0f ? (mask ? 1f : a[i]) : 0f;
            }
        } else {
            double[] a = x.d();
            double[] o = out.d();
            for (int i = 0; i < x.size(); i++) {
                o[i] = a[i] > 0 ? (mask ? 1 : a[i]) : 0;
            }
        }
        return out;
    }
}
