package gradncp.tensor;

import java.util.Arrays;

/**
 * Movement ops: views (reshape), copies that move or broadcast elements (expand, permute,
 * slice, pad) and the dtype cast.
 */
final class MovementOps {
    private MovementOps() {}

    record Reshape(Tensor x) implements Op {
        static Tensor apply(Tensor x, Shape s) {
            if (s.size() != x.size()) {
                throw new IllegalArgumentException("reshape: cannot view " + x.shape() + " (" + x.size()
                        + " elements) as " + s + " (" + s.size() + ")");
            }
            if (s.equals(x.shape())) {
                return x;
            }
            return Tensor.result(s, x.storage(), new Reshape(x));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {g.reshape(x.shape().dims())};
        }
    }

    record Expand(Tensor x) implements Op {
        static Tensor apply(Tensor x, Shape s) {
            Shape b = Shape.broadcast(x.shape(), s, "expand");
            if (!b.equals(s)) {
                throw new IllegalArgumentException("expand: cannot expand " + x.shape() + " to " + s);
            }
            Tensor out = Tensor.allocate(x.dtype(), s, false);
            Object zero = x.dtype() == DType.F32 ? new float[1] : new double[1];
            if (!out.isDry()) {
                Kernels.binary(Kernels.Binary.ADD, x.array(), Ops.broadcastStrides(x.shape(), s), zero,
                        new int[s.rank()], out.array(), s.dims());
            }
            return Tensor.result(s, out.storage(), new Expand(x));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {g.sumTo(x.shape())};
        }
    }

    record Permute(Tensor x, int[] perm) implements Op {
        static Tensor apply(Tensor x, int[] perm) {
            if (perm.length != x.rank()) {
                throw new IllegalArgumentException("permute: " + Arrays.toString(perm) + " does not match rank of " + x.shape());
            }
            boolean[] seen = new boolean[perm.length];
            int[] p = new int[perm.length];
            int[] dims = new int[perm.length];
            for (int i = 0; i < perm.length; i++) {
                p[i] = x.shape().axis(perm[i], "permute");
                if (seen[p[i]]) {
                    throw new IllegalArgumentException("permute: repeated axis in " + Arrays.toString(perm));
                }
                seen[p[i]] = true;
                dims[i] = x.dim(p[i]);
            }
            Shape s = Shape.of(dims);
            Tensor out = Tensor.allocate(x.dtype(), s, false);
            if (!out.isDry()) {
                Kernels.permute(x.array(), x.shape().dims(), p, out.array());
            }
            return Tensor.result(s, out.storage(), new Permute(x, p));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            int[] inv = new int[perm.length];
            for (int i = 0; i < perm.length; i++) {
                inv[perm[i]] = i;
            }
            return new Tensor[] {g.permute(inv)};
        }
    }

    record Slice(Tensor x, int axis, int start) implements Op {
        static Tensor apply(Tensor x, int axisIn, int start, int length) {
            int axis = x.shape().axis(axisIn, "slice");
            int n = x.dim(axis);
            if (start < 0 || length < 0 || start + length > n) {
                throw new IllegalArgumentException("slice: [" + start + ", " + (start + length)
                        + ") is outside axis " + axis + " of " + x.shape());
            }
            Shape s = x.shape().with(axis, length);
            Tensor out = Tensor.allocate(x.dtype(), s, false);
            copyBlocks(x, out, axis, n, length, start, true);
            return Tensor.result(s, out.storage(), new Slice(x, axis, start));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {g.pad(axis, start, x.dim(axis))};
        }
    }

    record Pad(Tensor x, int axis, int start) implements Op {
        static Tensor apply(Tensor x, int axisIn, int start, int total) {
            int axis = x.shape().axis(axisIn, "pad");
            int n = x.dim(axis);
            if (start < 0 || start + n > total) {
                throw new IllegalArgumentException("pad: cannot place " + n + " elements at " + start
                        + " of an axis of " + total);
            }
            Shape s = x.shape().with(axis, total);
            Tensor out = Tensor.allocate(x.dtype(), s, true);
            copyBlocks(x, out, axis, total, n, start, false);
            return Tensor.result(s, out.storage(), new Pad(x, axis, start));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {g.slice(axis, start, x.dim(axis))};
        }
    }

    /** Copies a [outer, len, inner] window between a big (full-axis) and a small tensor. */
    private static void copyBlocks(Tensor x, Tensor out, int axis, int full, int len, int start,
            boolean fromBig) {
        if (out.isDry()) {
            return;
        }
        Tensor big = fromBig ? x : out;
        int outer = big.shape().prod(0, axis);
        int inner = big.shape().prod(axis + 1, big.rank());
        Object src = x.array();
        Object dst = out.array();
        for (int o = 0; o < outer; o++) {
            int bigOff = (o * full + start) * inner;
            int smallOff = o * len * inner;
            System.arraycopy(src, fromBig ? bigOff : smallOff, dst, fromBig ? smallOff : bigOff, len * inner);
        }
    }

    record Cast(Tensor x) implements Op {
        static Tensor apply(Tensor x, DType dtype) {
            Tensor out = Tensor.allocate(dtype, x.shape(), false);
            if (dtype == DType.F32) {
                double[] s = x.d();
                float[] d = out.f();
                for (int i = 0; i < x.size(); i++) {
                    d[i] = (float) s[i];
                }
            } else {
                float[] s = x.f();
                double[] d = out.d();
                for (int i = 0; i < x.size(); i++) {
                    d[i] = s[i];
                }
            }
            return Tensor.result(x.shape(), out.storage(), new Cast(x));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {g.to(x.dtype())};
        }
    }
}
