package gradncp.tensor;

import gradncp.tensor.kernel.Gemm;

/**
 * The (batched) matrix product and the dimension record {@link Mm} that every GEMM call of the
 * engine goes through (it also counts the FLOPs).
 */
final class MatrixOps {
    private MatrixOps() {}

    record MatMul(Tensor a, Tensor b, boolean ta, boolean tb) implements Op {
        static Tensor apply(Tensor a, Tensor b, boolean ta, boolean tb) {
            Ops.sameDType("matmul", a, b);
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
            FlopCounter.addMatmul(2L * batch * m * n * k);
            if (out.isDry()) {
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
}
