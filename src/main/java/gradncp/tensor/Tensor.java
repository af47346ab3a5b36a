package gradncp.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * An immutable n-dimensional array of float32 or float64, row-major and contiguous, optionally a
 * node of an autodiff graph. A tensor that results from an operation on graph tensors remembers
 * the operation ({@link Op}); gradients come from {@link Autodiff#grad}. There is no global tape:
 * the graph is reachable only from its outputs.
 *
 * <p>Operations validate their arguments and throw {@link IllegalArgumentException} naming the
 * operation and the shapes. Broadcasting follows NumPy.
 */
public final class Tensor {
    private final Shape shape;
    private final Storage storage;
    private final Op op;
    private final boolean requiresGrad;

    Tensor(Shape shape, Storage storage, Op op, boolean requiresGrad) {
        this.shape = shape;
        this.storage = storage;
        this.op = op;
        this.requiresGrad = requiresGrad;
    }

    /** A result tensor: records op only if some input takes part in a recorded graph. */
    static Tensor result(Shape shape, Storage storage, Op op) {
        boolean rg = false;
        if (Autodiff.recording()) {
            for (Tensor t : op.inputs()) {
                rg |= t != null && t.requiresGrad;
            }
        }
        return new Tensor(shape, storage, rg ? op : null, rg);
    }

    // ----------------------------------------------------------------------- factories
    public static Tensor zeros(DType dtype, int... dims) {
        Shape s = Shape.of(dims);
        return new Tensor(s, Memory.allocate(dtype, s.size(), true), null, false);
    }

    public static Tensor full(DType dtype, double value, int... dims) {
        Shape s = Shape.of(dims);
        Storage st = Memory.allocate(dtype, s.size(), false);
        if (dtype == DType.F32) {
            Arrays.fill(st.f(), (float) value);
        } else {
            Arrays.fill(st.d(), value);
        }
        return new Tensor(s, st, null, false);
    }

    public static Tensor scalar(DType dtype, double value) {
        return full(dtype, value);
    }

    /** A float32 tensor holding a copy of data. */
    public static Tensor of(float[] data, int... dims) {
        Shape s = checkLength(data.length, dims);
        Storage st = Memory.allocate(DType.F32, s.size(), false);
        System.arraycopy(data, 0, st.f(), 0, data.length);
        return new Tensor(s, st, null, false);
    }

    /** A float64 tensor holding a copy of data. */
    public static Tensor of(double[] data, int... dims) {
        Shape s = checkLength(data.length, dims);
        Storage st = Memory.allocate(DType.F64, s.size(), false);
        System.arraycopy(data, 0, st.d(), 0, data.length);
        return new Tensor(s, st, null, false);
    }

    /** A tensor of the given dtype from double values (converted for float32). */
    public static Tensor of(DType dtype, double[] data, int... dims) {
        if (dtype == DType.F64) {
            return of(data, dims);
        }
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return of(f, dims);
    }

    /** Values drawn uniformly from [lo, hi) in float64, then cast to dtype. */
    public static Tensor uniform(DType dtype, java.util.random.RandomGenerator rng, double lo,
            double hi, int... dims) {
        double[] v = new double[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return of(dtype, v, dims);
    }

    private static Shape checkLength(int length, int[] dims) {
        Shape s = Shape.of(dims);
        if (s.size() != length) {
            throw new IllegalArgumentException("data of length " + length + " does not fit shape "
                    + s + " (" + s.size() + " elements)");
        }
        return s;
    }

    static Tensor allocate(DType dtype, Shape shape, boolean zero) {
        return new Tensor(shape, Memory.allocate(dtype, shape.size(), zero), null, false);
    }

    // ----------------------------------------------------------------------- accessors
    /** True when this tensor's storage belongs to a dry run: ops writing it compute nothing. */
    boolean isDry() {
        return storage.isDry();
    }

    public Shape shape() {
        return shape;
    }

    public DType dtype() {
        return storage.dtype;
    }

    public int size() {
        return shape.size();
    }

    public int dim(int i) {
        return shape.dim(i);
    }

    public int rank() {
        return shape.rank();
    }

    /** True if gradients can flow to this tensor (a parameter or a result of one). */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    Op op() {
        return op;
    }

    Storage storage() {
        return storage;
    }

    float[] f() {
        return storage.f();
    }

    double[] d() {
        return storage.d();
    }

    /** Raw array (float[] or double[]) for kernels. */
    Object array() {
        return storage.dtype == DType.F32 ? storage.f() : storage.d();
    }

    /** The same values as a new graph leaf that gradients can be taken with respect to. */
    public Tensor param() {
        return new Tensor(shape, storage, null, true);
    }

    /** The same values, cut from the graph (shares storage). */
    public Tensor detach() {
        return new Tensor(shape, storage, null, false);
    }

    /** Returns the storage to the pool now. Only for tensors nothing else uses. */
    public void release() {
        Memory.release(storage);
    }

    public double item() {
        if (shape.size() != 1) {
            throw new IllegalArgumentException("item() needs a tensor of one element, got shape " + shape);
        }
        return get(0);
    }

    /** Element at flat (row-major) index i. */
    public double get(int i) {
        return storage.dtype == DType.F32 ? storage.f()[i] : storage.d()[i];
    }

    public double[] toDoubleArray() {
        double[] out = new double[size()];
        if (storage.dtype == DType.F32) {
            float[] f = storage.f();
            for (int i = 0; i < out.length; i++) {
                out[i] = f[i];
            }
        } else {
            System.arraycopy(storage.d(), 0, out, 0, out.length);
        }
        return out;
    }

    public float[] toFloatArray() {
        float[] out = new float[size()];
        if (storage.dtype == DType.F32) {
            System.arraycopy(storage.f(), 0, out, 0, out.length);
        } else {
            double[] d = storage.d();
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) d[i];
            }
        }
        return out;
    }

    @Override
    public String toString() {
        String s = "Tensor" + shape + " " + dtype() + (op != null ? " (" + op.name() + ")" : "");
        if (size() <= 8) {
            s += " " + Arrays.toString(toDoubleArray());
        }
        return s;
    }

    // ------------------------------------------------------------------- elementwise
    public Tensor add(Tensor o) {
        return ElementwiseOps.Add.apply(this, o);
    }

    /** this + alpha x, same shapes, in one pass. */
    public Tensor axpy(double alpha, Tensor x) {
        return ElementwiseOps.Axpy.apply(this, x, alpha);
    }

    public Tensor sub(Tensor o) {
        return add(o.neg());
    }

    public Tensor mul(Tensor o) {
        return ElementwiseOps.Mul.apply(this, o);
    }

    public Tensor div(Tensor o) {
        return mul(o.recip());
    }

    public Tensor neg() {
        return ElementwiseOps.Unary.apply(Kernels.Unary.NEG, this, 0);
    }

    public Tensor recip() {
        return ElementwiseOps.Unary.apply(Kernels.Unary.RECIP, this, 0);
    }

    public Tensor sin() {
        return ElementwiseOps.Unary.apply(Kernels.Unary.SIN, this, 0);
    }

    public Tensor cos() {
        return ElementwiseOps.Unary.apply(Kernels.Unary.COS, this, 0);
    }

    public Tensor sqrt() {
        return ElementwiseOps.Unary.apply(Kernels.Unary.SQRT, this, 0);
    }

    public Tensor exp() {
        return ElementwiseOps.Unary.apply(Kernels.Unary.EXP, this, 0);
    }

    public Tensor log() {
        return ElementwiseOps.Unary.apply(Kernels.Unary.LOG, this, 0);
    }

    /** max(x, 0), elementwise (derivative 0 at x = 0). */
    public Tensor relu() {
        return RectifierOps.Relu.apply(this);
    }

    public Tensor tanh() {
        return ElementwiseOps.Unary.apply(Kernels.Unary.TANH, this, 0);
    }

    public Tensor erf() {
        return ElementwiseOps.Unary.apply(Kernels.Unary.ERF, this, 0);
    }

    /** Exact GELU, x/2 (1 + erf(x / sqrt 2)), as in PyTorch's nn.GELU(). */
    public Tensor gelu() {
        return mul(scale(Math.sqrt(0.5)).erf().addScalar(1.0)).scale(0.5);
    }

    /** Sum of squares over the last axis: [..., C] -> [...] (one pass; differentiable). */
    public Tensor sumSquares() {
        return ReduceOps.SumSquares.apply(this);
    }

    public Tensor square() {
        return ElementwiseOps.Unary.apply(Kernels.Unary.SQUARE, this, 0);
    }

    /** this * c for a constant c. */
    public Tensor scale(double c) {
        return ElementwiseOps.Unary.apply(Kernels.Unary.SCALE, this, c);
    }

    /** this + c for a constant c. */
    public Tensor addScalar(double c) {
        return ElementwiseOps.Unary.apply(Kernels.Unary.ADD_SCALAR, this, c);
    }

    /** sin(w0 * this) in one pass: the SIREN activation (Sitzmann et al., 2020). */
    public Tensor sinw(double w0) {
        return ElementwiseOps.Unary.apply(Kernels.Unary.SINW, this, w0);
    }

    // ---------------------------------------------------------------------- reductions
    /** Sum over the given axes; kept axes become size 1 when keepDims. */
    public Tensor sum(boolean keepDims, int... axes) {
        return ReduceOps.Sum.apply(this, axes, keepDims);
    }

    /** Sum of all elements (a scalar). */
    public Tensor sum() {
        int[] all = new int[rank()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        return sum(false, all);
    }

    public Tensor mean() {
        return sum().scale(1.0 / size());
    }

    public Tensor mean(boolean keepDims, int... axes) {
        int n = 1;
        for (int a : axes) {
            n *= shape.dim(shape.axis(a, "mean"));
        }
        return sum(keepDims, axes).scale(1.0 / n);
    }

    /** Sums a broadcast result back to shape (the backward of broadcasting). */
    public Tensor sumTo(Shape target) {
        if (shape.equals(target)) {
            return this;
        }
        int lead = rank() - target.rank();
        if (lead < 0) {
            throw new IllegalArgumentException("sumTo: cannot reduce " + shape + " to larger shape " + target);
        }
        int[] axes = new int[rank()];
        int n = 0;
        for (int i = 0; i < rank(); i++) {
            if (i < lead || (target.dim(i - lead) == 1 && shape.dim(i) != 1)) {
                axes[n++] = i;
            } else if (target.dim(i - lead) != shape.dim(i)) {
                throw new IllegalArgumentException("sumTo: " + shape + " is not a broadcast of " + target);
            }
        }
        Tensor s = n == 0 ? this : sum(true, Arrays.copyOf(axes, n));
        return s.reshape(target.dims());
    }

    // ------------------------------------------------------------------------ movement
    public Tensor reshape(int... dims) {
        return MovementOps.Reshape.apply(this, Shape.of(inferDims(dims)));
    }

    private int[] inferDims(int[] dims) {
        int infer = -1;
        int known = 1;
        int[] d = dims.clone();
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("reshape: only one -1 allowed, got " + Arrays.toString(dims));
                }
                infer = i;
            } else {
                known *= d[i];
            }
        }
        if (infer >= 0 && known > 0) {
            d[infer] = size() / known;
        }
        return d;
    }

    /** Broadcasts to a larger shape (materialised). */
    public Tensor expand(int... dims) {
        return MovementOps.Expand.apply(this, Shape.of(dims));
    }

    public Tensor permute(int... perm) {
        return MovementOps.Permute.apply(this, perm);
    }

    /** Swaps two axes. */
    public Tensor transpose(int a, int b) {
        int[] perm = new int[rank()];
        for (int i = 0; i < perm.length; i++) {
            perm[i] = i;
        }
        int x = shape.axis(a, "transpose");
        int y = shape.axis(b, "transpose");
        perm[x] = y;
        perm[y] = x;
        return permute(perm);
    }

    /** The elements [start, start + length) along axis. */
    public Tensor slice(int axis, int start, int length) {
        return MovementOps.Slice.apply(this, axis, start, length);
    }

    /** Zero-pads along axis so that this sits at [start, start + dim) of a total-long axis. */
    public Tensor pad(int axis, int start, int total) {
        return MovementOps.Pad.apply(this, axis, start, total);
    }

    /** Concatenation along axis. */
    public static Tensor concat(int axis, List<Tensor> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("concat: no tensors given");
        }
        int ax = parts.get(0).shape.axis(axis, "concat");
        int total = 0;
        for (Tensor t : parts) {
            total += t.dim(ax);
        }
        Tensor out = null;
        int at = 0;
        for (Tensor t : parts) {
            Tensor p = t.pad(ax, at, total);
            at += t.dim(ax);
            out = out == null ? p : out.add(p);
        }
        return out;
    }

    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : MovementOps.Cast.apply(this, dtype);
    }

    // -------------------------------------------------------------------------- matrix
    /** Matrix product, batched over a leading axis: [.., m, k] x [.., k, n] -> [.., m, n]. */
    public Tensor matmul(Tensor o) {
        return MatrixOps.MatMul.apply(this, o, false, false);
    }

    /** op(this) x op(o), where op transposes the last two axes when its flag is set. */
    public Tensor matmul(Tensor o, boolean transposeThis, boolean transposeOther) {
        return MatrixOps.MatMul.apply(this, o, transposeThis, transposeOther);
    }

    /** this [B, N, in] x weight[B, out, in]^T + bias[B, out] -> [B, N, out]; weight/bias may be 2-D/1-D. */
    public Tensor linear(Tensor weight, Tensor bias) {
        return LayerOps.Linear.apply(this, weight, bias);
    }

    /**
     * A SIREN layer in one pass: {z, sin(w0 z)} for z = this W^T + bias, the same values and
     * graph as {@code z = linear(weight, bias)} followed by {@code z.sinw(w0)}. Inside
     * {@link Autodiff#noGrad} z is not kept: the result is {null, sin(w0 z)}.
     */
    public Tensor[] linearSinw(Tensor weight, Tensor bias, double w0) {
        return LayerOps.Linear.withSinw(this, weight, bias, w0);
    }

    /** Rows of a [B, N, d] tensor: out[b, j] = this[b, index[b][j]] -> [B, k, d]. */
    public Tensor gather(int[][] index) {
        return IndexOps.Gather.apply(this, index);
    }

    /** out[b, index[b][j]] += this[b, j] into zeros [B, n, d]: the backward of gather. */
    public Tensor scatterAdd(int[][] index, int n) {
        return IndexOps.ScatterAdd.apply(this, index, n);
    }

    /** 3x3 'same' 2-D convolution (padding 1), NCHW: [B, Cin, H, W] with [Cout, Cin, 3, 3] + [Cout]. */
    public Tensor conv2d3x3(Tensor weight, Tensor bias) {
        return ConvOps.conv2d3x3(this, weight, bias);
    }

    /** 1x1 convolution, NCHW: [B, Cin, H, W] with [Cout, Cin] (or [Cout, Cin, 1, 1]) + [Cout]. */
    public Tensor conv2d1x1(Tensor weight, Tensor bias) {
        return ConvOps.conv2d1x1(this, weight, bias);
    }

    /** im2col for a 3x3 window with zero padding 1: [B, C, H, W] -> [B, C*9, H*W], row c*9 + ky*3 + kx. */
    public Tensor unfold3x3() {
        if (rank() != 4) {
            throw new IllegalArgumentException("unfold3x3: needs [B, C, H, W], got " + shape);
        }
        return ConvOps.Unfold.apply(this);
    }

    /** PixelShuffle(r): [B, C r^2, H, W] -> [B, C, H r, W r], as torch.nn.PixelShuffle. */
    public Tensor pixelShuffle(int r) {
        int b = dim(0);
        int c = dim(1) / (r * r);
        int h = dim(2);
        int w = dim(3);
        if (rank() != 4 || c * r * r != dim(1)) {
            throw new IllegalArgumentException("pixelShuffle(" + r + "): needs [B, C*" + (r * r)
                    + ", H, W], got " + shape);
        }
        return reshape(b, c, r, r, h, w).permute(0, 1, 4, 2, 5, 3).reshape(b, c, h * r, w * r);
    }
}
