package gradncp.tensor;

/**
 * Gather and its adjoint scatter-add along the element axis of a [B, N, d] tensor (context
 * selection picks the rows).
 */
final class IndexOps {
    private IndexOps() {}

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
            for (int i = 0; i < b && !out.isDry(); i++) {
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
            for (int i = 0; i < b && !out.isDry(); i++) {
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
}
