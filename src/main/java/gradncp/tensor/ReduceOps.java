package gradncp.tensor;

import java.util.Arrays;

/**
 * Reductions: sum over axes, and the fused sum of squares over the last axis.
 */
final class ReduceOps {
    private ReduceOps() {}

    record Sum(Tensor x, int[] axes) implements Op {
        static Tensor apply(Tensor x, int[] axesIn, boolean keepDims) {
            boolean[] reduce = new boolean[x.rank()];
            for (int a : axesIn) {
                reduce[x.shape().axis(a, "sum")] = true;
            }
            int[] keep = x.shape().dims();
            int n = 0;
            for (int i = 0; i < reduce.length; i++) {
                if (reduce[i]) {
                    keep[i] = 1;
                    n++;
                }
            }
            int[] axes = new int[n];
            int[] dropped = new int[x.rank() - n];
            for (int i = 0, j = 0, m = 0; i < reduce.length; i++) {
                if (reduce[i]) {
                    axes[j++] = i;
                } else {
                    dropped[m++] = x.dim(i);
                }
            }
            Shape outShape = keepDims ? Shape.of(keep) : Shape.of(dropped);
            Tensor cur = x;
            int[] dims = x.shape().dims();
            for (int j = n - 1; j >= 0; j--) {
                int ax = axes[j];
                int outer = Shape.of(dims).prod(0, ax);
                int inner = Shape.of(dims).prod(ax + 1, dims.length);
                int red = dims[ax];
                dims[ax] = 1;
                Tensor next = Tensor.allocate(x.dtype(), Shape.of(dims), false);
                if (next.isDry()) {
                    cur.array();
                } else if (x.dtype() == DType.F32) {
                    Kernels.sumMiddle(cur.f(), next.f(), outer, red, inner);
                } else {
                    Kernels.sumMiddle(cur.d(), next.d(), outer, red, inner);
                }
                if (cur != x) {
                    cur.release();
                }
                cur = next;
            }
            if (cur == x) { // no axes: a copy, so the result is a fresh node
                cur = Tensor.allocate(x.dtype(), x.shape(), false);
                System.arraycopy(x.array(), 0, cur.array(), 0, x.size());
            }
            return Tensor.result(outShape, cur.storage(), new Sum(x, axes));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            int[] keep = x.shape().dims();
            for (int a : axes) {
                keep[a] = 1;
            }
            return new Tensor[] {g.reshape(keep).expand(x.shape().dims())};
        }

        @Override
        public GradTerms.Term[] detachedTerms(Tensor out, Tensor g) {
            if (x.rank() == 0) {
                return null;
            }
            int[] keep = x.shape().dims();
            for (int a : axes) {
                keep[a] = 1;
            }
            return new GradTerms.Term[] {
                new GradTerms.Broadcast(g, Ops.broadcastStrides(Shape.of(keep), x.shape()))
            };
        }
    }

    /** Sum of squares over the last axis, in one read of x: [..., C] -> [...]. */
    record SumSquares(Tensor x) implements Op {
        static Tensor apply(Tensor x) {
            if (x.rank() == 0) {
                throw new IllegalArgumentException("sumSquares needs at least one axis");
            }
            int cols = x.dim(-1);
            int[] d = x.shape().dims();
            Shape s = Shape.of(Arrays.copyOf(d, d.length - 1));
            Tensor out = Tensor.allocate(x.dtype(), s, false);
            if (out.isDry()) {
                x.array();
            } else if (x.dtype() == DType.F32) {
                Kernels.sumSquaresRows(x.f(), out.f(), s.size(), cols);
            } else {
                Kernels.sumSquaresRows(x.d(), out.d(), s.size(), cols);
            }
            return Tensor.result(s, out.storage(), new SumSquares(x));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            int[] keep = x.shape().dims();
            keep[keep.length - 1] = 1;
            return new Tensor[] {g.reshape(keep).mul(x).scale(2.0)};
        }
    }
}
