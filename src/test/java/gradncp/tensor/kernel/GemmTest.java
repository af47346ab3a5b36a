package gradncp.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GemmTest {
    private static final int[] EDGE = {1, 2, 3, 5, 6, 7, 15, 16, 17, 31, 33, 47, 63, 64, 65, 257};

    /** Naive reference in double: C[i] (=|+=) op(A[i]) op(B[i]) with the same storage contract. */
    private static double[] reference(int batch, boolean ta, boolean tb, int m, int n, int k,
            double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
            double[] c0, int cOff, int cStride, boolean accumulate) {
        double[] c = c0.clone();
        boolean sharedC = cStride == 0 && batch > 1;
        if (!accumulate) {
            for (int t = 0; t < (sharedC ? 1 : batch); t++) {
                for (int i = 0; i < m * n; i++) {
                    c[cOff + t * cStride + i] = 0;
                }
            }
        }
        for (int t = 0; t < batch; t++) {
            int ab = aOff + t * aStride, bb = bOff + t * bStride, cb = cOff + t * cStride;
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    for (int p = 0; p < k; p++) {
                        double av = ta ? a[ab + p * m + i] : a[ab + i * k + p];
                        double bv = tb ? b[bb + j * k + p] : b[bb + p * n + j];
                        s += av * bv;
                    }
                    c[cb + i * n + j] += s;
                }
            }
        }
        return c;
    }

    /** Sum of |a||b| terms per output, used to scale the tolerance. */
    private static double[] magnitude(int batch, boolean ta, boolean tb, int m, int n, int k,
            double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
            double[] c0, int cOff, int cStride, boolean accumulate) {
        double[] absA = a.clone(), absB = b.clone(), absC = c0.clone();
        for (int i = 0; i < absA.length; i++) absA[i] = Math.abs(absA[i]);
        for (int i = 0; i < absB.length; i++) absB[i] = Math.abs(absB[i]);
        for (int i = 0; i < absC.length; i++) absC[i] = Math.abs(absC[i]);
        return reference(batch, ta, tb, m, n, k, absA, aOff, aStride, absB, bOff, bStride, absC,
                cOff, cStride, accumulate);
    }

    private static double[] randomArray(SplittableRandom rnd, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = rnd.nextDouble(-1, 1);
        }
        return x;
    }

    private static float[] toFloat(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    private static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    /**
     * Runs one case in float and double against the reference. shareA/B/C select batch stride 0
     * for that operand. Arrays carry random padding before, between and after the matrices, and
     * the padding must be left untouched.
     */
    private static void check(SplittableRandom rnd, int batch, boolean ta, boolean tb, int m, int n,
            int k, boolean shareA, boolean shareB, boolean shareC, boolean accumulate) {
        int aOff = rnd.nextInt(5), bOff = rnd.nextInt(5), cOff = rnd.nextInt(5);
        int aStride = shareA ? 0 : m * k + rnd.nextInt(4);
        int bStride = shareB ? 0 : k * n + rnd.nextInt(4);
        int cStride = shareC ? 0 : m * n + rnd.nextInt(4);
        int aLen = aOff + aStride * Math.max(0, batch - 1) + m * k + rnd.nextInt(4);
        int bLen = bOff + bStride * Math.max(0, batch - 1) + k * n + rnd.nextInt(4);
        int cLen = cOff + cStride * Math.max(0, batch - 1) + m * n + rnd.nextInt(4);
        // values exactly representable in float so both precisions see the same inputs
        double[] a = toDouble(toFloat(randomArray(rnd, aLen)));
        double[] b = toDouble(toFloat(randomArray(rnd, bLen)));
        double[] c = toDouble(toFloat(randomArray(rnd, cLen)));
        double[] want = reference(batch, ta, tb, m, n, k, a, aOff, aStride, b, bOff, bStride, c,
                cOff, cStride, accumulate);
        double[] mag = magnitude(batch, ta, tb, m, n, k, a, aOff, aStride, b, bOff, bStride, c,
                cOff, cStride, accumulate);
        String what = "batch=" + batch + " ta=" + ta + " tb=" + tb + " m=" + m + " n=" + n + " k=" + k
                + " shareA=" + shareA + " shareB=" + shareB + " shareC=" + shareC + " acc=" + accumulate;

        float[] cf = toFloat(c);
        Gemm.sgemm(batch, ta, tb, m, n, k, toFloat(a), aOff, aStride, toFloat(b), bOff, bStride, cf,
                cOff, cStride, accumulate);
        double kEff = Math.max(1, (double) k * (shareC ? batch : 1));
        compare("sgemm " + what, want, mag, toDouble(cf), 2e-6 * Math.sqrt(kEff) + 1e-6);

        double[] cd = c.clone();
        Gemm.dgemm(batch, ta, tb, m, n, k, a, aOff, aStride, b, bOff, bStride, cd, cOff, cStride,
                accumulate);
        compare("dgemm " + what, want, mag, cd, 1e-14 * Math.sqrt(kEff) + 1e-15);
    }

    private static void compare(String what, double[] want, double[] mag, double[] got, double tol) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(want[i] - got[i]);
            if (!(err <= tol * Math.max(mag[i], 1e-30)) && err != 0) {
                fail(what + ": index " + i + " want " + want[i] + " got " + got[i] + " (tol "
                        + tol * mag[i] + ")");
            }
        }
    }

    @Test
    void allTransposesEdgeSizes() {
        SplittableRandom rnd = new SplittableRandom(12345);
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int m : EDGE) {
                    for (int n : new int[] {1, 3, 16, 17, 65}) {
                        int k = EDGE[rnd.nextInt(EDGE.length)];
                        check(rnd, 1, ta, tb, m, n, k, false, false, false, rnd.nextBoolean());
                    }
                }
                for (int n : EDGE) {
                    int m = EDGE[rnd.nextInt(EDGE.length)];
                    for (int k : new int[] {1, 2, 3, 255, 256, 257, 300}) {
                        check(rnd, 1, ta, tb, m, n, k, false, false, false, rnd.nextBoolean());
                    }
                }
            }
        }
    }

    @Test
    void randomSmallShapes() {
        SplittableRandom rnd = new SplittableRandom(777);
        for (int it = 0; it < 1500; it++) {
            int m = 1 + rnd.nextInt(20), n = 1 + rnd.nextInt(20), k = 1 + rnd.nextInt(20);
            int batch = 1 + rnd.nextInt(3);
            check(rnd, batch, rnd.nextBoolean(), rnd.nextBoolean(), m, n, k, rnd.nextInt(4) == 0,
                    rnd.nextInt(4) == 0, rnd.nextInt(4) == 0, rnd.nextBoolean());
        }
    }

    @Test
    void zeroSizes() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int[] s : new int[][] {{0, 5, 7}, {5, 0, 7}, {5, 7, 0}, {0, 0, 0}, {1, 1, 0}, {17, 65, 0}}) {
            for (boolean acc : new boolean[] {false, true}) {
                for (int batch : new int[] {0, 1, 3}) {
                    check(rnd, batch, false, true, s[0], s[1], s[2], false, false, false, acc);
                    check(rnd, batch, true, false, s[0], s[1], s[2], false, false, batch > 0, acc);
                }
            }
        }
        // k = 0 without accumulate must zero C (and only C)
        float[] c = {9, 9, 9, 9, 9};
        Gemm.sgemm(1, false, false, 2, 2, 0, new float[0], 0, 0, new float[0], 0, 0, c, 1, 4, false);
        assertEquals(9f, c[0]);
        for (int i = 1; i < 5; i++) assertEquals(0f, c[i]);
    }

    @Test
    void batchedWithSharedOperands() {
        SplittableRandom rnd = new SplittableRandom(99);
        int[][] shapes = {{37, 29, 53}, {64, 64, 64}, {130, 70, 200}, {7, 300, 90}, {300, 3, 100},
            {3, 256, 600}, {256, 2, 500}, {200, 256, 2}};
        for (int[] s : shapes) {
            for (int mode = 0; mode < 4; mode++) {
                boolean ta = rnd.nextBoolean(), tb = rnd.nextBoolean();
                int batch = 2 + rnd.nextInt(4);
                check(rnd, batch, ta, tb, s[0], s[1], s[2], mode == 1, mode == 2, mode == 3,
                        rnd.nextBoolean());
            }
            // typical weight gradient: A and B per batch item, C shared, accumulate
            check(rnd, 3, true, false, s[0], s[1], s[2], false, false, true, true);
        }
    }

    @Test
    void largeShapesMultithreaded() {
        SplittableRandom rnd = new SplittableRandom(2024);
        // big enough to be split across threads; includes the SIREN-like skinny shapes
        check(rnd, 1, false, true, 1000, 256, 256, false, false, false, false); // forward
        check(rnd, 1, false, true, 1500, 3, 256, false, false, false, false); // n = 3
        check(rnd, 1, false, true, 1500, 256, 2, false, false, false, true); // k = 2
        check(rnd, 1, false, false, 1000, 256, 256, false, false, false, true); // dX
        check(rnd, 1, false, false, 1200, 256, 3, false, false, false, false); // k = 3
        check(rnd, 1, true, false, 256, 256, 3000, false, false, false, false); // dW
        check(rnd, 1, true, false, 3, 256, 5000, false, false, false, true); // dW m = 3
        check(rnd, 1, true, false, 256, 2, 5000, false, false, false, false); // dW n = 2
        check(rnd, 4, true, false, 256, 256, 700, false, false, true, false); // shared dW
        check(rnd, 3, false, true, 700, 256, 256, false, true, false, false); // shared weights
        check(rnd, 2, true, true, 257, 129, 1100, false, false, false, true);
        check(rnd, 3, false, true, 900, 3, 100, false, false, true, true); // n = 3, shared C
        check(rnd, 3, false, true, 900, 4, 77, true, false, false, false); // n = 4, shared A
        // two column blocks (n > NC) and two items, each thread running several pieces: the
        // packed B a thread reuses between its pieces must be the one of that item and block
        check(rnd, 2, false, false, 600, 1100, 300, false, false, false, false);
        check(rnd, 2, true, false, 300, 1100, 300, false, false, false, true);
    }

    @Test
    void rejectsOutOfBounds() {
        float[] x = new float[8];
        assertThrows(IndexOutOfBoundsException.class,
                () -> Gemm.sgemm(1, false, false, 3, 3, 3, x, 0, 0, x, 0, 0, x, 0, 0, false));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Gemm.sgemm(2, false, false, 3, 3, 1, x, 0, 3, x, 0, 3, new float[9], 0, 9, false));
        assertThrows(IllegalArgumentException.class,
                () -> Gemm.dgemm(1, false, false, -1, 3, 3, new double[9], 0, 0, new double[9], 0, 0,
                        new double[9], 0, 0, false));
    }
    /**
     * The linear layer with its fused epilogue (bias, sin(w0 C)) against the reference product plus
     * bias and Math.sin: tile paths (several KC blocks, rows not a multiple of the tile, shared
     * and per-item operands) and the fallbacks (skinny n takes the dot path, tiny m the
     * transposed job).
     */
    @Test
    void linearWithBiasAndSineEpilogue() {
        SplittableRandom rnd = new SplittableRandom(21);
        int[][] shapes = { // batch, m, n, k
            {1, 1000, 256, 256}, {3, 97, 70, 2}, {2, 60, 128, 600}, {1, 97, 64, 300}, {2, 61, 130, 600}, {2, 50, 3, 256}, {1, 1, 200, 40},
            {2, 7, 1, 5}, {1, 0, 4, 3}, {2, 13, 17, 0}};
        float w0 = 30f;
        for (int[] sh : shapes) {
            int batch = sh[0], m = sh[1], n = sh[2], k = sh[3];
            for (int share = 0; share < 8; share++) {
                boolean shareX = (share & 1) != 0, shareW = (share & 2) != 0, shareBias = (share & 4) != 0;
                int xs = shareX ? 0 : m * k, ws = shareW ? 0 : n * k, bs = shareBias ? 0 : n;
                double[] x = randomArray(rnd, Math.max(1, shareX ? m * k : batch * m * k));
                double[] w = randomArray(rnd, Math.max(1, shareW ? n * k : batch * n * k));
                double[] bias = randomArray(rnd, Math.max(1, shareBias ? n : batch * n));
                for (int i = 0; i < w.length; i++) w[i] /= Math.max(1, k); // keep w0 z moderate
                double[] want = reference(batch, false, true, m, n, k, x, 0, xs, w, 0, ws,
                        new double[batch * m * n], 0, m * n, false);
                double[] mag = magnitude(batch, false, true, m, n, k, x, 0, xs, w, 0, ws,
                        new double[batch * m * n], 0, m * n, false);
                for (int t = 0; t < batch; t++) {
                    for (int i = 0; i < m * n; i++) {
                        want[t * m * n + i] += bias[t * bs + i % n];
                        mag[t * m * n + i] += Math.abs(bias[t * bs + i % n]);
                    }
                }
                for (boolean sin : new boolean[] {false, true}) {
                    float[] c = new float[batch * m * n];
                    java.util.Arrays.fill(c, Float.NaN); // must be overwritten, never read
                    float[] s = sin ? new float[batch * m * n] : null;
                    Gemm.sgemmLinear(batch, m, n, k, toFloat(x), xs, toFloat(w), ws, toFloat(bias), bs, c, s, w0);
                    String what = "linear " + java.util.Arrays.toString(sh) + " share " + share + " sin " + sin;
                    compare(what, want, mag, toDouble(c), 2e-5);
                    if (sin) {
                        for (int i = 0; i < c.length; i++) {
                            assertEquals(Math.sin(w0 * c[i]), s[i], 1e-5, what + ": sin at " + i);
                        }
                    }
                }
            }
        }
    }
}
