package gradncp.tensor;

import gradncp.tensor.kernel.Gemm;
import java.util.Arrays;

/**
 * The operation set. Each op is a record holding its inputs (and constants), with its forward
 * ({@code apply}) and backward side by side. Backward rules use only {@link Tensor} methods, so
 * gradients of gradients work to any order.
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

    // ------------------------------------------------------------------------- binary
    record Add(Tensor a, Tensor b) implements Op {
        static Tensor apply(Tensor a, Tensor b) {
            return binary(Kernels.Binary.ADD, new Add(a, b), a, b, "add");
        }

        public Tensor[] inputs() {
            return new Tensor[] {a, b};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {g.sumTo(a.shape()), g.sumTo(b.shape())};
        }
    }

    /** y + alpha x in one pass (same shapes): the inner loop's SGD update. */
    record Axpy(Tensor y, Tensor x, double alpha) implements Op {
        static Tensor apply(Tensor y, Tensor x, double alpha) {
            sameDType("axpy", y, x);
            if (!y.shape().equals(x.shape())) {
                throw new IllegalArgumentException("axpy: shapes " + y.shape() + " and " + x.shape() + " differ");
            }
            Tensor out = Tensor.allocate(y.dtype(), y.shape(), false);
            if (Memory.dryRun()) {
                x.array();
            } else if (y.dtype() == DType.F32) {
                Kernels.axpy(y.f(), x.f(), (float) alpha, out.f(), y.size());
            } else {
                Kernels.axpy(y.d(), x.d(), alpha, out.d(), y.size());
            }
            return Tensor.result(y.shape(), out.storage(), new Axpy(y, x, alpha));
        }

        public Tensor[] inputs() {
            return new Tensor[] {y, x};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {g, x.requiresGrad() ? g.scale(alpha) : null};
        }
    }

    record Mul(Tensor a, Tensor b) implements Op {
        static Tensor apply(Tensor a, Tensor b) {
            return binary(Kernels.Binary.MUL, new Mul(a, b), a, b, "mul");
        }

        public Tensor[] inputs() {
            return new Tensor[] {a, b};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {
                a.requiresGrad() ? g.mul(b).sumTo(a.shape()) : null,
                b.requiresGrad() ? g.mul(a).sumTo(b.shape()) : null
            };
        }
    }

    private static Tensor binary(Kernels.Binary k, Op op, Tensor a, Tensor b, String name) {
        sameDType(name, a, b);
        Shape s = Shape.broadcast(a.shape(), b.shape(), name);
        Tensor out = Tensor.allocate(a.dtype(), s, false);
        if (!Memory.dryRun()) {
            Kernels.binary(k, a.array(), broadcastStrides(a.shape(), s), b.array(),
                    broadcastStrides(b.shape(), s), out.array(), s.dims());
        }
        return Tensor.result(s, out.storage(), op);
    }

    // -------------------------------------------------------------------------- unary
    record Unary(Kernels.Unary kind, Tensor x, double c) implements Op {
        static Tensor apply(Kernels.Unary kind, Tensor x, double c) {
            Tensor out = Tensor.allocate(x.dtype(), x.shape(), false);
            if (Memory.dryRun()) {
                x.array();
            } else if (x.dtype() == DType.F32) {
                Kernels.unary(kind, c, x.f(), out.f(), x.size());
            } else {
                Kernels.unary(kind, c, x.d(), out.d(), x.size());
            }
            return Tensor.result(x.shape(), out.storage(), new Unary(kind, x, c));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        @Override
        public String name() {
            return kind.name().toLowerCase(java.util.Locale.ROOT);
        }

        public Tensor[] backward(Tensor y, Tensor g) {
            Tensor dx = switch (kind) {
                case NEG -> g.neg();
                case RECIP -> g.mul(y.square()).neg(); // d(1/x) = -1/x^2
                case SIN -> g.mul(x.cos());
                case COS -> g.mul(x.sin()).neg();
                case SQRT -> g.mul(y.recip()).scale(0.5);
                case EXP -> g.mul(y);
                case LOG -> g.mul(x.recip());
                case TANH -> g.mul(y.square().neg().addScalar(1.0)); // 1 - tanh^2
                case ERF -> g.mul(x.square().neg().exp()).scale(2.0 / Math.sqrt(Math.PI));
                case SCALE -> g.scale(c);
                case ADD_SCALAR -> g;
                case SINW -> SinwGrad.apply(g, x, c);
                case SQUARE -> g.mul(x).scale(2.0);
            };
            return new Tensor[] {dx};
        }

        @Override
        public GradTerms.Term[] detachedTerms(Tensor y, Tensor g) {
            return kind == Kernels.Unary.SINW ? new GradTerms.Term[] {new GradTerms.Cos(g, x, c)} : null;
        }
    }

    /** g * w0 * cos(w0 z): the backward of sin(w0 z), fused; itself differentiable. */
    record SinwGrad(Tensor g, Tensor z, double w0) implements Op {
        static Tensor apply(Tensor g, Tensor z, double w0) {
            if (!g.shape().equals(z.shape())) {
                throw new IllegalArgumentException("sinwGrad: shapes " + g.shape() + " and " + z.shape() + " differ");
            }
            Tensor out = Tensor.allocate(z.dtype(), z.shape(), false);
            if (Memory.dryRun()) {
                g.array();
            } else if (z.dtype() == DType.F32) {
                Kernels.sinwGrad(g.f(), z.f(), (float) w0, out.f(), z.size());
            } else {
                Kernels.sinwGrad(g.d(), z.d(), w0, out.d(), z.size());
            }
            return Tensor.result(z.shape(), out.storage(), new SinwGrad(g, z, w0));
        }

        public Tensor[] inputs() {
            return new Tensor[] {g, z};
        }

        /** The same pass as {@link #apply}: a recomputed value equals the evicted one bit for bit. */
        @Override
        public Storage.Remat remat() {
            int n = z.size();
            return z.dtype() == DType.F32
                    ? array -> Kernels.sinwGrad(g.f(), z.f(), (float) w0, (float[]) array, n)
                    : array -> Kernels.sinwGrad(g.d(), z.d(), w0, (double[]) array, n);
        }

        public Tensor[] backward(Tensor out, Tensor gg) {
            return new Tensor[] {
                g.requiresGrad() ? apply(gg, z, w0) : null,
                // d/dz [g w0 cos(w0 z)] = -g w0^2 sin(w0 z)
                z.requiresGrad() ? gg.mul(g).mul(z.sinw(w0)).scale(-w0 * w0) : null
            };
        }

        @Override
        public GradTerms.Term[] detachedTerms(Tensor out, Tensor gg) {
            return new GradTerms.Term[] {
                g.requiresGrad() ? new GradTerms.Cos(gg, z, w0) : null,
                z.requiresGrad() ? new GradTerms.Sin(gg, g, z, w0) : null
            };
        }
    }

    // -------------------------------------------------------------------- reductions
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
                if (Memory.dryRun()) {
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
                new GradTerms.Broadcast(g, broadcastStrides(Shape.of(keep), x.shape()))
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
            if (Memory.dryRun()) {
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

    // ---------------------------------------------------------------------- movement
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
            if (!Memory.dryRun()) {
                Kernels.binary(Kernels.Binary.ADD, x.array(), broadcastStrides(x.shape(), s), zero,
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
            if (!Memory.dryRun()) {
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
        if (Memory.dryRun()) {
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

    // ------------------------------------------------------------------------ matrix
    record MatMul(Tensor a, Tensor b, boolean ta, boolean tb) implements Op {
        static Tensor apply(Tensor a, Tensor b, boolean ta, boolean tb) {
            sameDType("matmul", a, b);
            Mm d = Mm.of("matmul", a, b, ta, tb);
            Shape s = d.batched ? Shape.of(d.batch, d.m, d.n) : Shape.of(d.m, d.n);
            Tensor out = Tensor.allocate(a.dtype(), s, false);
            d.run(a, b, out, false);
            return Tensor.result(s, out.storage(), new MatMul(a, b, ta, tb));
        }

        public Tensor[] inputs() {
            return new Tensor[] {a, b};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            Tensor da = null;
            Tensor db = null;
            if (a.requiresGrad()) {
                da = ta ? (tb ? b.matmul(g, true, true) : b.matmul(g, false, true))
                        : (tb ? g.matmul(b, false, false) : g.matmul(b, false, true));
                da = da.sumTo(a.shape());
            }
            if (b.requiresGrad()) {
                db = tb ? (ta ? g.matmul(a, true, true) : g.matmul(a, true, false))
                        : (ta ? a.matmul(g, false, false) : a.matmul(g, true, false));
                db = db.sumTo(b.shape());
            }
            return new Tensor[] {da, db};
        }

        @Override
        public GradTerms.Term[] detachedTerms(Tensor out, Tensor g) {
            GradTerms.Term da = null;
            GradTerms.Term db = null;
            if (a.requiresGrad()) {
                da = ta ? (tb ? GradTerms.product(b, g, true, true, a.shape()) : GradTerms.product(b, g, false, true, a.shape()))
                        : (tb ? GradTerms.product(g, b, false, false, a.shape()) : GradTerms.product(g, b, false, true, a.shape()));
            }
            if (b.requiresGrad()) {
                db = tb ? (ta ? GradTerms.product(g, a, true, true, b.shape()) : GradTerms.product(g, a, true, false, b.shape()))
                        : (ta ? GradTerms.product(a, g, false, false, b.shape()) : GradTerms.product(a, g, true, false, b.shape()));
            }
            return new GradTerms.Term[] {da, db};
        }
    }

    /** Dimensions of a (batched) matrix product; rank-2 operands are shared across the batch. */
    record Mm(int batch, boolean batched, int m, int n, int k, boolean ta, boolean tb,
            int aStride, int bStride) {
        static Mm of(String op, Tensor a, Tensor b, boolean ta, boolean tb) {
            if (a.rank() < 2 || a.rank() > 3 || b.rank() < 2 || b.rank() > 3) {
                throw new IllegalArgumentException(op + ": operands must be 2-D or 3-D, got " + a.shape()
                        + " and " + b.shape());
            }
            int ba = a.rank() == 3 ? a.dim(0) : -1;
            int bb = b.rank() == 3 ? b.dim(0) : -1;
            if (ba >= 0 && bb >= 0 && ba != bb) {
                throw new IllegalArgumentException(op + ": batch sizes differ: " + a.shape() + " and " + b.shape());
            }
            int m = ta ? a.dim(-1) : a.dim(-2);
            int ka = ta ? a.dim(-2) : a.dim(-1);
            int kb = tb ? b.dim(-1) : b.dim(-2);
            int n = tb ? b.dim(-2) : b.dim(-1);
            if (ka != kb) {
                throw new IllegalArgumentException(op + ": inner dimensions differ: " + a.shape()
                        + (ta ? "^T" : "") + " x " + b.shape() + (tb ? "^T" : "") + " (" + ka + " vs " + kb + ")");
            }
            int batch = Math.max(Math.max(ba, bb), 1);
            return new Mm(batch, ba >= 0 || bb >= 0, m, n, ka, ta, tb,
                    ba >= 0 ? m * ka : 0, bb >= 0 ? ka * n : 0);
        }

        void run(Tensor a, Tensor b, Tensor out, boolean accumulate) {
            run(a, b, out, accumulate, false);
        }

        /** sumBatch: out is one [m, n] matrix that receives the sum of the batch's products. */
        void run(Tensor a, Tensor b, Tensor out, boolean accumulate, boolean sumBatch) {
            Memory.countMatmul(2L * batch * m * n * k);
            if (Memory.dryRun()) {
                return;
            }
            int cStride = sumBatch ? 0 : m * n;
            if (a.dtype() == DType.F32) {
                Gemm.sgemm(batch, ta, tb, m, n, k, a.f(), 0, aStride, b.f(), 0, bStride,
                        out.f(), 0, cStride, accumulate);
            } else {
                Gemm.dgemm(batch, ta, tb, m, n, k, a.d(), 0, aStride, b.d(), 0, bStride,
                        out.d(), 0, cStride, accumulate);
            }
        }
    }

    /**
     * x W^T + bias with the bias add fused into the product; {@link #withSinw} also fuses the
     * SIREN activation sin(w0 z) into the same pass over the output.
     */
    record Linear(Tensor x, Tensor w, Tensor bias) implements Op {
        static Tensor apply(Tensor x, Tensor w, Tensor bias) {
            return compute(x, w, bias, Double.NaN)[0];
        }

        /**
         * {z, sin(w0 z)} for z = x W^T + bias, both graph nodes (a linear and a sinw op). Outside
         * the graph ({@link Autodiff#noGrad}) the sine overwrites z in place and z is null: an
         * inference pass then writes one [N, width] tensor per layer instead of two.
         */
        static Tensor[] withSinw(Tensor x, Tensor w, Tensor bias, double w0) {
            if (!(w0 == w0)) {
                throw new IllegalArgumentException("linearSinw: w0 must be a number, got " + w0);
            }
            return compute(x, w, bias, w0);
        }

        private static Tensor[] compute(Tensor x, Tensor w, Tensor bias, double w0) {
            sameDType("linear", x, w);
            sameDType("linear", x, bias);
            Mm d = Mm.of("linear", x, w, false, true);
            int out = d.n;
            boolean biasBatched = bias.rank() == 2;
            if (bias.dim(-1) != out || bias.rank() > 2 || (biasBatched && bias.dim(0) != d.batch)) {
                throw new IllegalArgumentException("linear: bias " + bias.shape() + " does not match output width "
                        + out + " (expected [" + out + "] or [" + d.batch + ", " + out + "])");
            }
            Shape s = d.batched ? Shape.of(d.batch, d.m, out) : Shape.of(d.m, out);
            Tensor y = Tensor.allocate(x.dtype(), s, false);
            boolean sin = w0 == w0;
            boolean inPlace = sin && !Autodiff.recording();
            Tensor h = !sin ? null : inPlace ? y : Tensor.allocate(x.dtype(), s, false);
            if (x.dtype() == DType.F32 && !Memory.dryRun()) {
                Memory.countMatmul(2L * d.batch * d.m * d.n * d.k);
                Gemm.sgemmLinear(d.batch, d.m, d.n, d.k, x.f(), d.aStride, w.f(), d.bStride, bias.f(),
                        biasBatched ? out : 0, y.f(), sin ? h.f() : null, (float) w0);
            } else {
                Shape bs = biasBatched ? Shape.of(d.batch, 1, out) : Shape.of(out);
                Object zero = x.dtype() == DType.F32 ? new float[1] : new double[1];
                if (!Memory.dryRun()) {
                    Kernels.binary(Kernels.Binary.ADD, bias.array(), broadcastStrides(bs, s), zero,
                            new int[s.rank()], y.array(), s.dims());
                }
                d.run(x, w, y, true);
                if (sin && !Memory.dryRun()) {
                    Kernels.unary(Kernels.Unary.SINW, w0, y.d(), h.d(), y.size());
                }
            }
            if (inPlace) {
                return new Tensor[] {null, h};
            }
            Tensor z = Tensor.result(s, y.storage(), new Linear(x, w, bias));
            return sin ? new Tensor[] {z, Tensor.result(s, h.storage(), new Unary(Kernels.Unary.SINW, z, w0))}
                    : new Tensor[] {z};
        }

        public Tensor[] inputs() {
            return new Tensor[] {x, w, bias};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            Tensor dx = x.requiresGrad() ? g.matmul(w).sumTo(x.shape()) : null;
            Tensor dw = w.requiresGrad() ? g.matmul(x, true, false).sumTo(w.shape()) : null;
            Tensor db = null;
            if (bias.requiresGrad()) {
                db = g.sum(false, g.rank() - 2).sumTo(bias.shape());
            }
            return new Tensor[] {dx, dw, db};
        }

        @Override
        public GradTerms.Term[] detachedTerms(Tensor out, Tensor g) {
            return new GradTerms.Term[] {
                x.requiresGrad() ? GradTerms.product(g, w, false, false, x.shape()) : null,
                w.requiresGrad() ? GradTerms.product(g, x, true, false, w.shape()) : null,
                bias.requiresGrad() ? new GradTerms.Dense(g.sum(false, g.rank() - 2).sumTo(bias.shape())) : null
            };
        }
    }

    // ----------------------------------------------------------------- gather/scatter
    static void checkIndex(String op, Tensor x, int[][] index, int n) {
        if (x.rank() != 3 || index.length != x.dim(0)) {
            throw new IllegalArgumentException(op + ": needs a [B, N, d] tensor and B index rows, got "
                    + x.shape() + " and " + index.length + " rows");
        }
        int k = index[0].length;
        for (int[] row : index) {
            if (row.length != k) {
                throw new IllegalArgumentException(op + ": index rows must have equal length");
            }
            for (int i : row) {
                if (i < 0 || i >= n) {
                    throw new IllegalArgumentException(op + ": index " + i + " out of range [0, " + n + ")");
                }
            }
        }
    }

    record Gather(Tensor x, int[][] index) implements Op {
        static Tensor apply(Tensor x, int[][] index) {
            checkIndex("gather", x, index, x.dim(1));
            int b = x.dim(0);
            int k = index.length == 0 ? 0 : index[0].length;
            int d = x.dim(2);
            int n = x.dim(1);
            Shape s = Shape.of(b, k, d);
            Tensor out = Tensor.allocate(x.dtype(), s, false);
            Object src = x.array();
            Object dst = out.array();
            for (int i = 0; i < b && !Memory.dryRun(); i++) {
                for (int j = 0; j < k; j++) {
                    System.arraycopy(src, (i * n + index[i][j]) * d, dst, (i * k + j) * d, d);
                }
            }
            return Tensor.result(s, out.storage(), new Gather(x, index));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {g.scatterAdd(index, x.dim(1))};
        }
    }

    record ScatterAdd(Tensor x, int[][] index) implements Op {
        static Tensor apply(Tensor x, int[][] index, int n) {
            checkIndex("scatterAdd", x, index, n);
            if (index.length > 0 && index[0].length != x.dim(1)) {
                throw new IllegalArgumentException("scatterAdd: " + index[0].length + " indices for "
                        + x.dim(1) + " rows of " + x.shape());
            }
            int b = x.dim(0);
            int k = x.dim(1);
            int d = x.dim(2);
            Shape s = Shape.of(b, n, d);
            Tensor out = Tensor.allocate(x.dtype(), s, true);
            for (int i = 0; i < b && !Memory.dryRun(); i++) {
                for (int j = 0; j < k; j++) {
                    int so = (i * k + j) * d;
                    int o = (i * n + index[i][j]) * d;
                    if (x.dtype() == DType.F32) {
                        float[] src = x.f();
                        float[] dst = out.f();
                        for (int c = 0; c < d; c++) {
                            dst[o + c] += src[so + c];
                        }
                    } else {
                        double[] src = x.d();
                        double[] dst = out.d();
                        for (int c = 0; c < d; c++) {
                            dst[o + c] += src[so + c];
                        }
                    }
                }
            }
            return Tensor.result(s, out.storage(), new ScatterAdd(x, index));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {g.gather(index)};
        }
    }

    // ------------------------------------------------------------------- convolution
    static Tensor conv2d3x3(Tensor x, Tensor w, Tensor bias) {
        if (x.rank() != 4 || w.rank() != 4 || w.dim(2) != 3 || w.dim(3) != 3 || w.dim(1) != x.dim(1)) {
            throw new IllegalArgumentException("conv2d3x3: needs x [B, Cin, H, W] and weight [Cout, Cin, 3, 3], got "
                    + x.shape() + " and " + w.shape());
        }
        int b = x.dim(0);
        int h = x.dim(2);
        int wd = x.dim(3);
        int cout = w.dim(0);
        Tensor cols = Unfold.apply(x); // [B, Cin*9, H*W]
        Tensor y = w.reshape(cout, -1).matmul(cols); // [B, Cout, H*W]
        return y.add(bias.reshape(cout, 1)).reshape(b, cout, h, wd);
    }

    static Tensor conv2d1x1(Tensor x, Tensor w, Tensor bias) {
        if (x.rank() != 4 || w.dim(1) != x.dim(1)) {
            throw new IllegalArgumentException("conv2d1x1: needs x [B, Cin, H, W] and weight [Cout, Cin], got "
                    + x.shape() + " and " + w.shape());
        }
        int b = x.dim(0);
        int cout = w.dim(0);
        Tensor y = w.reshape(cout, x.dim(1)).matmul(x.reshape(b, x.dim(1), -1)); // [B, Cout, H*W]
        return y.add(bias.reshape(cout, 1)).reshape(b, cout, x.dim(2), x.dim(3));
    }

    /** im2col for a 3x3 window with zero padding 1: [B, C, H, W] -> [B, C*9, H*W]. */
    record Unfold(Tensor x) implements Op {
        static Tensor apply(Tensor x) {
            int b = x.dim(0);
            int c = x.dim(1);
            int h = x.dim(2);
            int w = x.dim(3);
            Shape s = Shape.of(b, c * 9, h * w);
            Tensor out = Tensor.allocate(x.dtype(), s, true);
            im2col(x, out, b, c, h, w, true);
            return Tensor.result(s, out.storage(), new Unfold(x));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {Fold.apply(g, x.dim(1), x.dim(2), x.dim(3))};
        }
    }

    /** col2im, the adjoint of {@link Unfold}: [B, C*9, H*W] -> [B, C, H, W], overlaps summed. */
    record Fold(Tensor cols, int c, int h, int w) implements Op {
        static Tensor apply(Tensor cols, int c, int h, int w) {
            int b = cols.dim(0);
            Shape s = Shape.of(b, c, h, w);
            Tensor out = Tensor.allocate(cols.dtype(), s, true);
            im2col(out, cols, b, c, h, w, false);
            return Tensor.result(s, out.storage(), new Fold(cols, c, h, w));
        }

        public Tensor[] inputs() {
            return new Tensor[] {cols};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {Unfold.apply(g)};
        }
    }

    /** unfold (forward=true: cols[..] = img[..]) or fold (cols added into img). */
    private static void im2col(Tensor img, Tensor cols, int b, int c, int h, int w, boolean forward) {
        if (Memory.dryRun()) {
            return;
        }
        boolean f32 = img.dtype() == DType.F32;
        int hw = h * w;
        for (int n = 0; n < b; n++) {
            for (int ch = 0; ch < c; ch++) {
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        int row = ((n * c + ch) * 9 + ky * 3 + kx) * hw;
                        int base = (n * c + ch) * hw;
                        for (int y = 0; y < h; y++) {
                            int sy = y + ky - 1;
                            if (sy < 0 || sy >= h) {
                                continue;
                            }
                            for (int x = 0; x < w; x++) {
                                int sx = x + kx - 1;
                                if (sx < 0 || sx >= w) {
                                    continue;
                                }
                                int ci = row + y * w + x;
                                int ii = base + sy * w + sx;
                                if (f32) {
                                    if (forward) {
                                        cols.f()[ci] = img.f()[ii];
                                    } else {
                                        img.f()[ii] += cols.f()[ci];
                                    }
                                } else if (forward) {
                                    cols.d()[ci] = img.d()[ii];
                                } else {
                                    img.d()[ii] += cols.d()[ci];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
