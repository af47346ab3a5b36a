package gradncp.tensor;

import gradncp.tensor.kernel.Parallel;
import gradncp.tensor.kernel.Trig;
import java.util.ArrayList;
import java.util.List;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Gradient contributions of the detached backward, summed lazily. A backward rule may describe a
 * contribution (a matrix product, a broadcast, the derivatives of a sine layer) instead of
 * computing it; {@link Autodiff} collects every contribution to a tensor and sums them when that
 * gradient is needed: the elementwise terms in one pass over the output (cache-sized chunks, each
 * operand read once), then the products accumulated into it by the GEMM. In the second-order
 * backward of a SIREN this replaces, per layer and inner step, the separate expand, add,
 * multiply, sine and scale passes over [N, width] tensors (each a full trip through memory) by
 * one pass. Terms hold only the tensors they read, never a computed [N, width] buffer, so the
 * memory held is the same or smaller than with eager contributions.
 */
final class GradTerms {
    private GradTerms() {}

    /** One contribution to a gradient of a given shape. */
    sealed interface Term permits Dense, Broadcast, Cos, Sin, Product {
        /** The tensors the term reads (kept alive until the sum is taken). */
        Tensor[] reads();
    }

    /** t itself. */
    record Dense(Tensor t) implements Term {
        public Tensor[] reads() {
            return new Tensor[] {t};
        }
    }

    /** v broadcast to the target shape: strides per target axis, 0 on broadcast axes. */
    record Broadcast(Tensor v, int[] strides) implements Term {
        public Tensor[] reads() {
            return new Tensor[] {v};
        }
    }

    /** a * w0 * cos(w0 z): the derivative of sin(w0 z) times a. */
    record Cos(Tensor a, Tensor z, double w0) implements Term {
        public Tensor[] reads() {
            return new Tensor[] {a, z};
        }
    }

    /** -w0^2 * a * b * sin(w0 z): the derivative of b w0 cos(w0 z) with respect to z, times a. */
    record Sin(Tensor a, Tensor b, Tensor z, double w0) implements Term {
        public Tensor[] reads() {
            return new Tensor[] {a, b, z};
        }
    }

    /** op(a) op(b) (its dimensions in mm); summed over the batch when the target is not batched. */
    record Product(Tensor a, Tensor b, MatrixOps.Mm mm, boolean sumBatch) implements Term {
        public Tensor[] reads() {
            return new Tensor[] {a, b};
        }
    }

    /**
     * op(a) op(b) as a contribution to a gradient of shape target: a product term when the GEMM
     * can write it into the target directly, else the product computed now (and reduced).
     */
    static Term product(Tensor a, Tensor b, boolean ta, boolean tb, Shape target) {
        MatrixOps.Mm d = MatrixOps.Mm.of("matmul", a, b, ta, tb);
        Shape s = d.batched() ? Shape.of(d.batch(), d.m(), d.n()) : Shape.of(d.m(), d.n());
        if (s.equals(target)) {
            return new Product(a, b, d, false);
        }
        if (d.batched() && target.equals(Shape.of(d.m(), d.n()))) {
            return new Product(a, b, d, true);
        }
        return new Dense(a.matmul(b, ta, tb).sumTo(target));
    }

    /** The sum of a gradient's terms (at least one), as a plain tensor of the given shape. */
    static Tensor sum(List<Term> terms, Shape shape, DType dtype) {
        if (terms.size() == 1 && terms.get(0) instanceof Dense d) {
            return d.t();
        }
        List<Term> pointwise = new ArrayList<>(terms.size());
        List<Product> products = new ArrayList<>(terms.size());
        for (Term t : terms) {
            if (t instanceof Product p) {
                products.add(p);
            } else {
                pointwise.add(t);
            }
        }
        Tensor out = Tensor.allocate(dtype, shape, false);
        for (Term t : terms) {
            for (Tensor r : t.reads()) {
                r.storage().materialize(); // recompute evicted operands now, also in a dry run
            }
        }
        if (!pointwise.isEmpty() && !out.isDry()) {
            if (dtype == DType.F32) {
                pointwiseF(pointwise, shape, out.f());
            } else {
                pointwiseD(pointwise, shape, out.d());
            }
        }
        boolean accumulate = !pointwise.isEmpty();
        for (Product p : products) {
            p.mm().run(p.a(), p.b(), out, accumulate, p.sumBatch());
            accumulate = true;
        }
        return out;
    }

    // ------------------------------------------------------------------------ kernels

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Elements per chunk: every operand's chunk stays in the L1 cache while the terms are added. */
    private static final int CHUNK = 2048;

    /** Offset into v of the start of row r (rows = all axes but the last) for a broadcast term. */
    private static int rowOffset(int[] dims, int[] strides, int r) {
        int off = 0;
        for (int ax = dims.length - 2; ax >= 0; ax--) {
            int d = dims[ax];
            off += (r % d) * strides[ax];
            r /= d;
        }
        return off;
    }

    private static void pointwiseF(List<Term> terms, Shape shape, float[] out) {
        int[] dims = shape.rank() == 0 ? new int[] {1} : shape.dims();
        int cols = dims[dims.length - 1];
        int rows = cols == 0 ? 0 : shape.size() / cols;
        int rowsPerChunk = Math.max(1, CHUNK / Math.max(1, cols));
        Term[] ts = terms.toArray(new Term[0]);
        Parallel.forRange(rows, Math.max(1, (1 << 15) / Math.max(1, cols)), (lo, hi) -> {
            for (int r0 = lo; r0 < hi; r0 += rowsPerChunk) {
                int r1 = Math.min(hi, r0 + rowsPerChunk);
                int i0 = r0 * cols, i1 = r1 * cols;
                for (int t = 0; t < ts.length; t++) {
                    boolean load = t > 0;
                    switch (ts[t]) {
                        case Dense d -> denseF(d.t().f(), out, i0, i1, load);
                        case Cos c -> cosF(c.a().f(), c.z().f(), (float) c.w0(), out, i0, i1, load);
                        case Sin s -> sinF(s.a().f(), s.b().f(), s.z().f(), (float) s.w0(), out, i0, i1, load);
                        case Broadcast b -> {
                            float[] v = b.v().f();
                            int last = b.strides()[dims.length - 1];
                            for (int r = r0; r < r1; r++) {
                                broadcastRowF(v, rowOffset(dims, b.strides(), r), last, out, r * cols, cols, load);
                            }
                        }
                        case Product p -> throw new IllegalStateException("product in the pointwise sum");
                    }
                }
            }
        });
    }

    private static void denseF(float[] x, float[] out, int lo, int hi, boolean load) {
        int i = lo;
        for (int upper = lo + S.loopBound(hi - lo); i < upper; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            if (load) {
                v = v.add(FloatVector.fromArray(S, out, i));
            }
            v.intoArray(out, i);
        }
        for (; i < hi; i++) {
            out[i] = load ? out[i] + x[i] : x[i];
        }
    }

    /** out[lo, hi) (+)= a w0 cos(w0 z); also the forward of the sinwGrad op (load false). */
    static void cosF(float[] a, float[] z, float w0, float[] out, int lo, int hi, boolean load) {
        int i = lo;
        for (int upper = lo + S.loopBound(hi - lo); i < upper; i += L) {
            FloatVector c = Trig.cos(FloatVector.fromArray(S, z, i).mul(w0));
            FloatVector v = FloatVector.fromArray(S, a, i).mul(w0).mul(c);
            if (load) {
                v = v.add(FloatVector.fromArray(S, out, i));
            }
            v.intoArray(out, i);
        }
        for (; i < hi; i++) {
            float v = a[i] * w0 * Trig.cos(w0 * z[i]);
            out[i] = load ? out[i] + v : v;
        }
    }

    private static void sinF(float[] a, float[] b, float[] z, float w0, float[] out, int lo, int hi,
            boolean load) {
        float k = -w0 * w0;
        int i = lo;
        for (int upper = lo + S.loopBound(hi - lo); i < upper; i += L) {
            FloatVector s = Trig.sin(FloatVector.fromArray(S, z, i).mul(w0));
            FloatVector v = FloatVector.fromArray(S, a, i).mul(FloatVector.fromArray(S, b, i)).mul(s).mul(k);
            if (load) {
                v = v.add(FloatVector.fromArray(S, out, i));
            }
            v.intoArray(out, i);
        }
        for (; i < hi; i++) {
            float v = a[i] * b[i] * Trig.sin(w0 * z[i]) * k;
            out[i] = load ? out[i] + v : v;
        }
    }

    private static void broadcastRowF(float[] v, int off, int stride, float[] out, int o, int cols,
            boolean load) {
        int j = 0;
        if (stride == 1) {
            for (int upper = S.loopBound(cols); j < upper; j += L) {
                FloatVector x = FloatVector.fromArray(S, v, off + j);
                if (load) {
                    x = x.add(FloatVector.fromArray(S, out, o + j));
                }
                x.intoArray(out, o + j);
            }
        }
        for (; j < cols; j++) {
            float x = v[off + j * stride];
            out[o + j] = load ? out[o + j] + x : x;
        }
    }

    /** The float64 sum: a plain loop per term (float64 serves the gradient checks). */
    private static void pointwiseD(List<Term> terms, Shape shape, double[] out) {
        int[] dims = shape.rank() == 0 ? new int[] {1} : shape.dims();
        int cols = dims[dims.length - 1];
        int n = shape.size();
        for (int t = 0; t < terms.size(); t++) {
            boolean load = t > 0;
            for (int i = 0; i < n; i++) {
                double v = switch (terms.get(t)) {
                    case Dense d -> d.t().d()[i];
                    case Cos c -> c.a().d()[i] * c.w0() * Math.cos(c.w0() * c.z().d()[i]);
                    case Sin s -> -s.w0() * s.w0() * s.a().d()[i] * s.b().d()[i] * Math.sin(s.w0() * s.z().d()[i]);
                    case Broadcast b -> b.v().d()[rowOffset(dims, b.strides(), i / cols)
                            + (i % cols) * b.strides()[dims.length - 1]];
                    case Product p -> throw new IllegalStateException("product in the pointwise sum");
                };
                out[i] = load ? out[i] + v : v;
            }
        }
    }
}
