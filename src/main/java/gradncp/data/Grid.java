package gradncp.data;

import gradncp.tensor.DType;
import gradncp.tensor.Tensor;

/**
 * Input coordinates of a signal (ALGORITHM.md, Coordinates). Each axis is linspace(-1, 1, n)
 * including both endpoints, computed in float64 and then cast; the grid is an 'ij' meshgrid
 * flattened row-major, so point i = h * W + w has coordinates (row, column).
 */
public final class Grid {
    private Grid() {}

    /** -1 + 2 j / (n - 1) for j in [0, n); a single point sits at 0. */
    public static double[] linspace(int n) {
        double[] t = new double[n];
        for (int j = 0; j < n; j++) {
            t[j] = n == 1 ? 0.0 : -1.0 + 2.0 * j / (n - 1);
        }
        return t;
    }

    /** Image coordinates [H * W, 2]. */
    public static Tensor image(int h, int w, DType dtype) {
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("image grid needs positive size, got " + h + "x" + w);
        }
        double[] th = linspace(h);
        double[] tw = linspace(w);
        double[] c = new double[h * w * 2];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                c[(i * w + j) * 2] = th[i];
                c[(i * w + j) * 2 + 1] = tw[j];
            }
        }
        return Tensor.of(dtype, c, h * w, 2);
    }
}
