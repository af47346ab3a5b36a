package gradncp.data;

/**
 * Centre-crop and resize for channel-last float images {@code [H*W*C]}.
 *
 * <p>Resizing is separable bilinear interpolation with antialiasing, the algorithm of PIL's
 * {@code Image.resize(..., BILINEAR)} that the reference uses: a triangle filter whose support
 * widens by the scale factor when shrinking, so a 2x downscale averages a 4-tap neighbourhood
 * instead of skipping pixels (no aliasing), and upscaling is plain bilinear with half-pixel
 * centres. Unlike PIL on 8-bit images we do not round between the two passes, so results differ
 * from PIL by at most about one grey level.
 */
public final class Resize {
    private Resize() {}

    /** The centred square of side min(h, w); the offset rounds down, as in the reference. */
    public static float[] centreCropSquare(float[] img, int h, int w, int c) {
        int s = Math.min(h, w), top = (h - s) / 2, left = (w - s) / 2;
        if (s == h && s == w) return img;
        float[] out = new float[s * s * c];
        for (int i = 0; i < s; i++) {
            System.arraycopy(img, ((top + i) * w + left) * c, out, i * s * c, s * c);
        }
        return out;
    }

    /** Resizes [h*w*c] to [nh*nw*c] (antialiased bilinear); returns the input if sizes match. */
    public static float[] resize(float[] img, int h, int w, int c, int nh, int nw) {
        if (img.length != h * w * c) {
            throw new IllegalArgumentException("image has " + img.length + " values, expected "
                    + h + "*" + w + "*" + c);
        }
        if (nh < 1 || nw < 1) throw new IllegalArgumentException("target size must be >= 1, got "
                + nh + "x" + nw);
        if (nh == h && nw == w) return img;
        // horizontal pass: [h, w, c] -> [h, nw, c]
        Taps hx = taps(w, nw);
        float[] tmp = new float[h * nw * c];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < nw; x++) {
                for (int ch = 0; ch < c; ch++) {
                    double s = 0;
                    for (int k = 0; k < hx.count[x]; k++) {
                        s += hx.weights[x][k] * img[(y * w + hx.first[x] + k) * c + ch];
                    }
                    tmp[(y * nw + x) * c + ch] = (float) s;
                }
            }
        }
        // vertical pass: [h, nw, c] -> [nh, nw, c]
        Taps vy = taps(h, nh);
        float[] out = new float[nh * nw * c];
        for (int y = 0; y < nh; y++) {
            for (int i = 0; i < nw * c; i++) {
                double s = 0;
                for (int k = 0; k < vy.count[y]; k++) {
                    s += vy.weights[y][k] * tmp[(vy.first[y] + k) * nw * c + i];
                }
                out[y * nw * c + i] = (float) s;
            }
        }
        return out;
    }

    /** Centre-crops to a square, then resizes to r x r. */
    public static float[] squareResize(float[] img, int h, int w, int c, int r) {
        int s = Math.min(h, w);
        return resize(centreCropSquare(img, h, w, c), s, s, c, r, r);
    }

    private record Taps(int[] first, int[] count, double[][] weights) {}

    /** Filter taps for one axis, following PIL's ImagingResampleHorizontal coefficients. */
    private static Taps taps(int in, int out) {
        double scale = (double) in / out;
        double filterScale = Math.max(scale, 1.0);
        double support = filterScale; // triangle filter has support 1, widened when shrinking
        int[] first = new int[out], count = new int[out];
        double[][] weights = new double[out][];
        for (int i = 0; i < out; i++) {
            double centre = (i + 0.5) * scale;
            int lo = Math.max((int) Math.floor(centre - support + 0.5), 0);
            int hi = Math.min((int) Math.floor(centre + support + 0.5), in);
            double[] wts = new double[hi - lo];
            double total = 0;
            for (int x = lo; x < hi; x++) {
                double t = Math.abs((x - centre + 0.5) / filterScale);
                wts[x - lo] = t < 1 ? 1 - t : 0;
                total += wts[x - lo];
            }
            for (int k = 0; k < wts.length; k++) wts[k] = total > 0 ? wts[k] / total : 0;
            first[i] = lo;
            count[i] = wts.length;
            weights[i] = wts;
        }
        return new Taps(first, count, weights);
    }
}
