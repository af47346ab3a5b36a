package gradncp.tensor.kernel;

/** Placeholder naive GEMM (to be replaced by the Vector API kernel). */
public final class Gemm {
    private Gemm() {}

    public static void sgemm(int batch, boolean ta, boolean tb, int m, int n, int k,
            float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
            float[] c, int cOff, int cStride, boolean accumulate) {
        for (int q = 0; q < batch; q++) {
            int ao = aOff + q * aStride, bo = bOff + q * bStride, co = cOff + q * cStride;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a[ao + (ta ? p * m + i : i * k + p)] * b[bo + (tb ? j * k + p : p * n + j)];
                    }
                    int ci = co + i * n + j;
                    c[ci] = (float) ((accumulate || (cStride == 0 && q > 0) ? c[ci] : 0) + s);
                }
            }
        }
    }

    public static void dgemm(int batch, boolean ta, boolean tb, int m, int n, int k,
            double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
            double[] c, int cOff, int cStride, boolean accumulate) {
        for (int q = 0; q < batch; q++) {
            int ao = aOff + q * aStride, bo = bOff + q * bStride, co = cOff + q * cStride;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        s += a[ao + (ta ? p * m + i : i * k + p)] * b[bo + (tb ? j * k + p : p * n + j)];
                    }
                    int ci = co + i * n + j;
                    c[ci] = (accumulate || (cStride == 0 && q > 0) ? c[ci] : 0) + s;
                }
            }
        }
    }
}
