package gradncp.tensor;

import gradncp.tensor.kernel.Parallel;
import gradncp.tensor.kernel.Trig;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Elementwise, reduction and copy kernels on raw arrays. float32 paths use the Vector API and
 * both cores; float64 paths are plain loops (they serve gradient checks on small tensors).
 * Kernels never allocate and always write every output element (pooled buffers are not zeroed).
 */
final class Kernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int GRAIN = 1 << 15;

    private Kernels() {}

    enum Unary {
        NEG, RECIP, SIN, COS, SQRT, EXP, LOG, TANH, ERF, SCALE, ADD_SCALAR, SINW, SQUARE
    }

    // ------------------------------------------------------------------------------ unary
    static void unary(Unary k, double c, float[] x, float[] y, int n) {
        Parallel.forRange(n, GRAIN, (lo, hi) -> unaryRange(k, (float) c, x, y, lo, hi));
    }

    private static void unaryRange(Unary k, float c, float[] x, float[] y, int lo, int hi) {
        // one loop per op: a switch inside the vector loop defeats C2's intrinsics
        int i = switch (k) {
            case NEG -> negLoop(x, y, lo, hi);
            case RECIP -> recipLoop(x, y, lo, hi);
            case SQRT -> sqrtLoop(x, y, lo, hi);
            case SCALE -> scaleLoop(x, c, y, lo, hi);
            case ADD_SCALAR -> addScalarLoop(x, c, y, lo, hi);
            case SQUARE -> squareLoop(x, y, lo, hi);
            case SIN -> sinLoop(1f, x, y, lo, hi);
            case COS -> cosLoop(x, y, lo, hi);
            case EXP -> expLoop(x, y, lo, hi);
            case LOG -> logLoop(x, y, lo, hi);
            case TANH -> tanhLoop(x, y, lo, hi);
            case SINW -> sinLoop(c, x, y, lo, hi);
            case ERF -> lo;
        };
        for (; i < hi; i++) {
            y[i] = (float) scalar(k, c, x[i]);
        }
    }

    private static int negLoop(float[] x, float[] y, int lo, int hi) {
        int i = lo;
        for (int upper = lo + S.loopBound(hi - lo); i < upper; i += S.length()) {
            FloatVector.fromArray(S, x, i).neg().intoArray(y, i);
        }
        return i;
    }

    private static int recipLoop(float[] x, float[] y, int lo, int hi) {
        int i = lo;
        FloatVector one = FloatVector.broadcast(S, 1f);
        for (int upper = lo + S.loopBound(hi - lo); i < upper; i += S.length()) {
            one.div(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        return i;
    }

    private static int sqrtLoop(float[] x, float[] y, int lo, int hi) {
        int i = lo;
        for (int upper = lo + S.loopBound(hi - lo); i < upper; i += S.length()) {
            FloatVector.fromArray(S, x, i).sqrt().intoArray(y, i);
        }
        return i;
    }

    private static int scaleLoop(float[] x, float c, float[] y, int lo, int hi) {
        int i = lo;
        for (int upper = lo + S.loopBound(hi - lo); i < upper; i += S.length()) {
            FloatVector.fromArray(S, x, i).mul(c).intoArray(y, i);
        }
        return i;
    }

    private static int addScalarLoop(float[] x, float c, float[] y, int lo, int hi) {
        int i = lo;
        for (int upper = lo + S.loopBound(hi - lo); i < upper; i += S.length()) {
            FloatVector.fromArray(S, x, i).add(c).intoArray(y, i);
        }
        return i;
    }

    private static int squareLoop(float[] x, float[] y, int lo, int hi) {
        int i = lo;
        for (int upper = lo + S.loopBound(hi - lo); i < upper; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.mul(v).intoArray(y, i);
        }
        return i;
    }

    // The math operator must be a constant at the call site for C2 to call the SVML stub;
    // passed as a parameter it falls back to a scalar loop per lane (BENCHMARKS.md, engine notes).
    private static int sinLoop(float c, float[] x, float[] y, int lo, int hi) {
        int i = lo;
        for (int upper = lo + S.loopBound(hi - lo); i < upper; i += S.length()) {
            Trig.sin(FloatVector.fromArray(S, x, i).mul(c)).intoArray(y, i);
        }
        return i;
    }

    private static int cosLoop(float[] x, float[] y, int lo, int hi) {
        int i = lo;
        for (int upper = lo + S.loopBound(hi - lo); i < upper; i += S.length()) {
            Trig.cos(FloatVector.fromArray(S, x, i)).intoArray(y, i);
        }
        return i;
    }

    private static int expLoop(float[] x, float[] y, int lo, int hi) {
        int i = lo;
        for (int upper = lo + S.loopBound(hi - lo); i < upper; i += S.length()) {
            FloatVector.fromArray(S, x, i).lanewise(VectorOperators.EXP).intoArray(y, i);
        }
        return i;
    }

    private static int logLoop(float[] x, float[] y, int lo, int hi) {
        int i = lo;
        for (int upper = lo + S.loopBound(hi - lo); i < upper; i += S.length()) {
            FloatVector.fromArray(S, x, i).lanewise(VectorOperators.LOG).intoArray(y, i);
        }
        return i;
    }

    private static int tanhLoop(float[] x, float[] y, int lo, int hi) {
        int i = lo;
        for (int upper = lo + S.loopBound(hi - lo); i < upper; i += S.length()) {
            FloatVector.fromArray(S, x, i).lanewise(VectorOperators.TANH).intoArray(y, i);
        }
        return i;
    }

    static void unary(Unary k, double c, double[] x, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = scalar(k, c, x[i]);
        }
    }

    private static double scalar(Unary k, double c, double v) {
        return switch (k) {
            case NEG -> -v;
            case RECIP -> 1.0 / v;
            case SIN -> Math.sin(v);
            case COS -> Math.cos(v);
            case SQRT -> Math.sqrt(v);
            case EXP -> Math.exp(v);
            case LOG -> Math.log(v);
            case TANH -> Math.tanh(v);
            case ERF -> Erf.erf(v);
            case SCALE -> v * c;
            case ADD_SCALAR -> v + c;
            case SINW -> Math.sin(c * v);
            case SQUARE -> v * v;
        };
    }

    /** y = g * w0 * cos(w0 * z): the backward of sin(w0 z), fused in one pass. */
    static void sinwGrad(float[] g, float[] z, float w0, float[] y, int n) {
        Parallel.forRange(n, GRAIN, (lo, hi) -> GradTerms.cosF(g, z, w0, y, lo, hi, false));
    }

    static void sinwGrad(double[] g, double[] z, double w0, double[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = g[i] * w0 * Math.cos(w0 * z[i]);
        }
    }

    // ----------------------------------------------------------------------------- binary
    enum Binary {
        ADD, MUL
    }

    /**
     * out = a (op) b with broadcasting. Strides are per output dimension (0 where the operand is
     * broadcast). Adjacent dimensions that are contiguous in both operands are merged first, so
     * the inner loop is as long as possible.
     */
    static void binary(Binary k, Object a, int[] as, Object b, int[] bs, Object out, int[] dims) {
        int r = dims.length;
        int[] d = new int[Math.max(r, 1)];
        int[] sa = new int[d.length];
        int[] sb = new int[d.length];
        int m = 0;
        if (r == 0) {
            d[0] = 1;
            m = 1;
        }
        for (int i = 0; i < r; i++) {
            if (dims[i] == 1) {
                continue;
            }
            if (m > 0 && sa[m - 1] == as[i] * dims[i] && sb[m - 1] == bs[i] * dims[i]) {
                d[m - 1] *= dims[i];
                sa[m - 1] = as[i];
                sb[m - 1] = bs[i];
            } else {
                d[m] = dims[i];
                sa[m] = as[i];
                sb[m] = bs[i];
                m++;
            }
        }
        if (m == 0) {
            d[0] = 1;
            m = 1;
        }
        final int rank = m;
        final int inner = d[rank - 1];
        final int ia = sa[rank - 1];
        final int ib = sb[rank - 1];
        int outer = 1;
        for (int i = 0; i < rank - 1; i++) {
            outer *= d[i];
        }
        final int[] dd = d;
        final int[] fa = sa;
        final int[] fb = sb;
        int grain = Math.max(1, GRAIN / Math.max(1, inner));
        Parallel.forRange(outer, grain, (lo, hi) -> {
            for (int o = lo; o < hi; o++) {
                int rem = o;
                int oa = 0;
                int ob = 0;
                for (int i = rank - 2; i >= 0; i--) {
                    int idx = rem % dd[i];
                    rem /= dd[i];
                    oa += idx * fa[i];
                    ob += idx * fb[i];
                }
                int oo = o * inner;
                if (out instanceof float[] fo) {
                    innerF(k, (float[]) a, oa, ia, (float[]) b, ob, ib, fo, oo, inner);
                } else {
                    innerD(k, (double[]) a, oa, ia, (double[]) b, ob, ib, (double[]) out, oo, inner);
                }
            }
        });
    }

    private static void innerF(Binary k, float[] a, int oa, int ia, float[] b, int ob, int ib,
            float[] y, int oy, int n) {
        // one tight loop per case: C2 intrinsifies these; a loop with a branch per vector does not
        if (ia == 1 && ib == 1) {
            if (k == Binary.ADD) {
                addVV(a, oa, b, ob, y, oy, n);
            } else {
                mulVV(a, oa, b, ob, y, oy, n);
            }
        } else if (ia == 1 && ib == 0) {
            if (k == Binary.ADD) {
                addVS(a, oa, b[ob], y, oy, n);
            } else {
                mulVS(a, oa, b[ob], y, oy, n);
            }
        } else if (ia == 0 && ib == 1) {
            if (k == Binary.ADD) {
                addVS(b, ob, a[oa], y, oy, n);
            } else {
                mulVS(b, ob, a[oa], y, oy, n);
            }
        } else {
            for (int i = 0; i < n; i++) {
                float va = a[oa + i * ia];
                float vb = b[ob + i * ib];
                y[oy + i] = k == Binary.ADD ? va + vb : va * vb;
            }
        }
    }

    private static void addVV(float[] a, int oa, float[] b, int ob, float[] y, int oy, int n) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += S.length()) {
            FloatVector.fromArray(S, a, oa + i).add(FloatVector.fromArray(S, b, ob + i)).intoArray(y, oy + i);
        }
        for (; i < n; i++) {
            y[oy + i] = a[oa + i] + b[ob + i];
        }
    }

    private static void mulVV(float[] a, int oa, float[] b, int ob, float[] y, int oy, int n) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += S.length()) {
            FloatVector.fromArray(S, a, oa + i).mul(FloatVector.fromArray(S, b, ob + i)).intoArray(y, oy + i);
        }
        for (; i < n; i++) {
            y[oy + i] = a[oa + i] * b[ob + i];
        }
    }

    private static void addVS(float[] a, int oa, float c, float[] y, int oy, int n) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += S.length()) {
            FloatVector.fromArray(S, a, oa + i).add(c).intoArray(y, oy + i);
        }
        for (; i < n; i++) {
            y[oy + i] = a[oa + i] + c;
        }
    }

    private static void mulVS(float[] a, int oa, float c, float[] y, int oy, int n) {
        int i = 0;
        for (int upper = S.loopBound(n); i < upper; i += S.length()) {
            FloatVector.fromArray(S, a, oa + i).mul(c).intoArray(y, oy + i);
        }
        for (; i < n; i++) {
            y[oy + i] = a[oa + i] * c;
        }
    }

    private static void innerD(Binary k, double[] a, int oa, int ia, double[] b, int ob, int ib,
            double[] y, int oy, int n) {
        for (int i = 0; i < n; i++) {
            double va = a[oa + i * ia];
            double vb = b[ob + i * ib];
            y[oy + i] = k == Binary.ADD ? va + vb : va * vb;
        }
    }

    // ---------------------------------------------------------------------------- reduce
    /** out[o, i] = sum_r x[o, r, i] for x viewed as [outer, red, inner]. */
    static void sumMiddle(float[] x, float[] out, int outer, int red, int inner) {
        if (inner == 1) {
            Parallel.forRange(outer, Math.max(1, GRAIN / Math.max(1, red)), (lo, hi) -> {
                for (int o = lo; o < hi; o++) {
                    out[o] = (float) sumContiguous(x, o * red, red);
                }
            });
            return;
        }
        if (outer == 1 && red >= 64) {
            // split the reduction across threads, then add the partial rows
            float[][] part = new float[Parallel.pieces(red, Math.max(1, GRAIN / inner))][];
            Parallel.forEachPiece(red, part.length, (c, r0, r1) -> {
                float[] acc = new float[inner];
                sumRows(x, r0 * inner, r1 - r0, inner, acc, 0);
                part[c] = acc;
            });
            for (int i = 0; i < inner; i++) {
                float s = 0;
                for (float[] p : part) {
                    s += p[i];
                }
                out[i] = s;
            }
            return;
        }
        Parallel.forRange(outer, Math.max(1, GRAIN / Math.max(1, red * inner)), (lo, hi) -> {
            for (int o = lo; o < hi; o++) {
                java.util.Arrays.fill(out, o * inner, (o + 1) * inner, 0f);
                sumRows(x, o * red * inner, red, inner, out, o * inner);
            }
        });
    }

    private static void sumRows(float[] x, int off, int rows, int inner, float[] acc, int aoff) {
        int upper = S.loopBound(inner);
        for (int r = 0; r < rows; r++) {
            int base = off + r * inner;
            int i = 0;
            for (; i < upper; i += S.length()) {
                FloatVector.fromArray(S, acc, aoff + i).add(FloatVector.fromArray(S, x, base + i))
                        .intoArray(acc, aoff + i);
            }
            for (; i < inner; i++) {
                acc[aoff + i] += x[base + i];
            }
        }
    }

    /** out = y + alpha x. */
    static void axpy(float[] y, float[] x, float alpha, float[] out, int n) {
        Parallel.forRange(n, GRAIN, (lo, hi) -> {
            int i = lo;
            for (int upper = lo + S.loopBound(hi - lo); i < upper; i += S.length()) {
                FloatVector.fromArray(S, x, i).mul(alpha).add(FloatVector.fromArray(S, y, i)).intoArray(out, i);
            }
            for (; i < hi; i++) {
                out[i] = y[i] + alpha * x[i];
            }
        });
    }

    static void axpy(double[] y, double[] x, double alpha, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = y[i] + alpha * x[i];
        }
    }

    /** out[r] = sum_j x[r * cols + j]^2, a float accumulator per lane (rows are short). */
    static void sumSquaresRows(float[] x, float[] out, int rows, int cols) {
        Parallel.forRange(rows, Math.max(1, GRAIN / Math.max(1, cols)), (lo, hi) -> {
            for (int r = lo; r < hi; r++) {
                int off = r * cols, upper = S.loopBound(cols), j = 0;
                FloatVector acc = FloatVector.zero(S);
                for (; j < upper; j += S.length()) {
                    FloatVector v = FloatVector.fromArray(S, x, off + j);
                    acc = v.fma(v, acc);
                }
                float s = gradncp.tensor.kernel.Lanes.sum(acc);
                for (; j < cols; j++) {
                    s += x[off + j] * x[off + j];
                }
                out[r] = s;
            }
        });
    }

    static void sumSquaresRows(double[] x, double[] out, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                s += x[r * cols + j] * x[r * cols + j];
            }
            out[r] = s;
        }
    }

    private static double sumContiguous(float[] x, int off, int n) {
        int upper = S.loopBound(n);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        double total = 0;
        for (; i < upper; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, x, off + i));
            if ((i & 4095) == 4095 - (S.length() - 1)) {
                total += gradncp.tensor.kernel.Lanes.sum(acc);
                acc = FloatVector.zero(S);
            }
        }
        total += gradncp.tensor.kernel.Lanes.sum(acc);
        for (; i < n; i++) {
            total += x[off + i];
        }
        return total;
    }

    static void sumMiddle(double[] x, double[] out, int outer, int red, int inner) {
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                double s = 0;
                for (int r = 0; r < red; r++) {
                    s += x[(o * red + r) * inner + i];
                }
                out[o * inner + i] = s;
            }
        }
    }

    // ------------------------------------------------------------------------------ copies
    /** out = x permuted: out[j...] = x[i...] with out dim k = x dim perm[k]. */
    static void permute(Object x, int[] xDims, int[] perm, Object out) {
        int r = xDims.length;
        int[] xs = Shape.of(xDims).strides();
        int[] od = new int[r];
        int[] srcStride = new int[r];
        for (int k = 0; k < r; k++) {
            od[k] = xDims[perm[k]];
            srcStride[k] = xs[perm[k]];
        }
        int inner = r == 0 ? 1 : od[r - 1];
        int innerStride = r == 0 ? 1 : srcStride[r - 1];
        int outer = 1;
        for (int k = 0; k < r - 1; k++) {
            outer *= od[k];
        }
        Parallel.forRange(outer, Math.max(1, GRAIN / Math.max(1, inner)), (lo, hi) -> {
            for (int o = lo; o < hi; o++) {
                int rem = o;
                int src = 0;
                for (int k = r - 2; k >= 0; k--) {
                    int idx = rem % od[k];
                    rem /= od[k];
                    src += idx * srcStride[k];
                }
                int dst = o * inner;
                if (out instanceof float[] fo) {
                    float[] fx = (float[]) x;
                    for (int i = 0; i < inner; i++) {
                        fo[dst + i] = fx[src + i * innerStride];
                    }
                } else {
                    double[] dx = (double[]) x;
                    double[] dout = (double[]) out;
                    for (int i = 0; i < inner; i++) {
                        dout[dst + i] = dx[src + i * innerStride];
                    }
                }
            }
        });
    }
}
