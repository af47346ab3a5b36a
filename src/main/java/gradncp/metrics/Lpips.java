package gradncp.metrics;

import gradncp.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * LPIPS v0.1 with the AlexNet backbone (Zhang, Isola, Efros, Shechtman and Wang, "The
 * Unreasonable Effectiveness of Deep Features as a Perceptual Metric", CVPR 2018), i.e.
 * {@code lpips.LPIPS(net='alex')} as the GradNCP reference evaluates it (ALGORITHM.md, Metrics):
 * forward only, in double precision.
 *
 * <p>Network: inputs in [0,1] become {@code x*2-1}, then {@code (x - shift) / scale} with
 * shift = (-.030, -.088, -.188), scale = (.458, .448, .450). torchvision AlexNet {@code features}
 * up to relu5: conv(3→64, k11, s4, p2) relu1 | maxpool(3, s2) conv(64→192, k5, p2) relu2 |
 * maxpool(3, s2) conv(192→384, k3, p1) relu3 | conv(384→256, k3, p1) relu4 |
 * conv(256→256, k3, p1) relu5. For each of the five ReLU outputs: unit-normalise every spatial
 * feature vector over channels ({@code f / (||f|| + 1e-10)}), square the difference of the two
 * images, weight the channels with the learned {@code lin{k}} 1x1 conv (no bias), average over
 * positions; LPIPS is the sum over the five taps. Grey images are repeated to 3 channels. Sides
 * must be at least 31 pixels (the smallest input AlexNet's pools accept).
 *
 * <p>No weights ship with the project. {@link #load} reads a safetensors file with either naming:
 * <ul>
 *   <li>the lpips state dict: {@code net.slice1.0.weight}, {@code net.slice2.3.weight},
 *       {@code net.slice3.6.weight}, {@code net.slice4.8.weight}, {@code net.slice5.10.weight}
 *       (and {@code .bias}), plus {@code lin0..lin4.model.1.weight} [1, C, 1, 1]
 *       ({@code lins.{k}.model.1.weight} is accepted too);</li>
 *   <li>torchvision style: {@code features.{0,3,6,8,10}.weight/bias} plus the same lin names.</li>
 * </ul>
 * Other tensors ({@code scaling_layer.shift/scale}, the {@code lins.*} duplicates) are ignored;
 * F32 or F64. Export with your own lpips and safetensors installation ({@code clone()} because
 * the state dict shares storage between {@code lin{k}} and {@code lins.{k}}, which
 * {@code save_file} refuses):
 * <pre>python3 -c "import lpips; from safetensors.torch import save_file; \
 * save_file({k: v.float().clone() for k, v in lpips.LPIPS(net='alex').state_dict().items()}, \
 * 'lpips_alex.safetensors')"</pre>
 * Instances are immutable and thread-safe. Inputs are not clamped (the evaluation clamps the
 * prediction before scoring). For video, call {@link #distance} per frame and average.
 */
public final class Lpips {
    /** What callers print when {@link #load} is empty. */
    public static final String UNAVAILABLE = "LPIPS unavailable: no weights file";

    /** Output channels of the five conv layers (= channels of the five taps). */
    static final int[] CHANNELS = {64, 192, 384, 256, 256};
    /** Input channels, kernel, stride and padding of the five conv layers. */
    static final int[] IN = {3, 64, 192, 384, 256}, KERNEL = {11, 5, 3, 3, 3},
            STRIDE = {4, 1, 1, 1, 1}, PAD = {2, 2, 1, 1, 1};
    /** Index of each conv inside torchvision's AlexNet {@code features}. */
    static final int[] FEATURE_INDEX = {0, 3, 6, 8, 10};
    static final double[] SHIFT = {-.030, -.088, -.188}, SCALE = {.458, .448, .450};
    static final double EPS = 1e-10;
    /** Smallest image side the network accepts (conv1 → 7, pool1 → 3, pool2 → 1). */
    public static final int MIN_SIDE = 31;

    private final double[][] weight = new double[5][], bias = new double[5][], lin = new double[5][];

    private Lpips(Map<String, Safetensors.Entry> tensors, String source) {
        List<String> missing = new ArrayList<>(), bad = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
            int f = FEATURE_INDEX[k], co = CHANNELS[k];
            String slice = "net.slice" + (k + 1) + "." + f + ".";
            weight[k] = pick(tensors, missing, bad, new int[] {co, IN[k], KERNEL[k], KERNEL[k]},
                    slice + "weight", "features." + f + ".weight");
            bias[k] = pick(tensors, missing, bad, new int[] {co}, slice + "bias", "features." + f + ".bias");
            lin[k] = pick(tensors, missing, bad, new int[] {1, co, 1, 1},
                    "lin" + k + ".model.1.weight", "lins." + k + ".model.1.weight");
        }
        if (!missing.isEmpty() || !bad.isEmpty()) {
            StringBuilder msg = new StringBuilder("LPIPS weights " + source + " are not lpips 'alex' v0.1:");
            if (!missing.isEmpty()) msg.append(" missing tensors ").append(missing).append(';');
            if (!bad.isEmpty()) msg.append(" wrong shapes ").append(bad).append(';');
            msg.append(" expected names net.slice{1..5}.{0,3,6,8,10}.weight/bias (or features.{0,3,6,8,10}.*)"
                    + " and lin{0..4}.model.1.weight, e.g. from lpips.LPIPS(net='alex').state_dict()");
            throw new IllegalArgumentException(msg.toString());
        }
    }

    private static double[] pick(Map<String, Safetensors.Entry> t, List<String> missing,
            List<String> bad, int[] shape, String name, String alt) {
        String key = t.containsKey(name) ? name : t.containsKey(alt) ? alt : null;
        if (key == null) {
            missing.add(name);
            return null;
        }
        Safetensors.Entry e = t.get(key);
        if (!Arrays.equals(e.shape(), shape)) {
            bad.add(key + " is " + Arrays.toString(e.shape()) + ", expected " + Arrays.toString(shape));
            return null;
        }
        return e.data().clone();
    }

    /**
     * The network from a safetensors weights file, or empty when {@code weightsOrNull} is null or
     * does not exist (print {@link #UNAVAILABLE}). A file that exists but cannot be read, or lacks
     * tensors or has wrong shapes, is an error listing every offending name.
     */
    public static Optional<Lpips> load(Path weightsOrNull) throws IOException {
        if (weightsOrNull == null || !Files.exists(weightsOrNull)) return Optional.empty();
        return Optional.of(fromTensors(Safetensors.read(weightsOrNull).tensors(), weightsOrNull.toString()));
    }

    /** The network from tensors named as in {@link #load}. */
    public static Lpips fromTensors(Map<String, Safetensors.Entry> tensors, String source) {
        return new Lpips(tensors, source);
    }

    /**
     * Random weights for tests: He-scaled Gaussian convs, small biases and non-negative lin
     * weights, all from {@code seed}. Not a perceptual metric, but the same computation.
     */
    public static Lpips random(long seed) {
        Random rng = new Random(seed);
        Map<String, Safetensors.Entry> t = new LinkedHashMap<>();
        for (int k = 0; k < 5; k++) {
            int co = CHANNELS[k], fanIn = IN[k] * KERNEL[k] * KERNEL[k];
            double std = Math.sqrt(2.0 / fanIn);
            double[] w = new double[co * fanIn], b = new double[co], l = new double[co];
            for (int i = 0; i < w.length; i++) w[i] = rng.nextGaussian() * std;
            for (int i = 0; i < co; i++) b[i] = rng.nextGaussian() * 0.01;
            for (int i = 0; i < co; i++) l[i] = rng.nextDouble() / co;
            String f = "features." + FEATURE_INDEX[k] + ".";
            t.put(f + "weight", new Safetensors.Entry("F64", new int[] {co, IN[k], KERNEL[k], KERNEL[k]}, w));
            t.put(f + "bias", new Safetensors.Entry("F64", new int[] {co}, b));
            t.put("lin" + k + ".model.1.weight", new Safetensors.Entry("F64", new int[] {1, co, 1, 1}, l));
        }
        return new Lpips(t, "random(" + seed + ")");
    }

    /** LPIPS distance of two [H*W*C] channel-last images with values in [0,1]; C is 1 or 3. */
    public double distance(float[] a, float[] b, int h, int w, int c) {
        if (c != 1 && c != 3) throw new IllegalArgumentException("LPIPS needs 1 or 3 channels, got " + c);
        if (h < MIN_SIDE || w < MIN_SIDE) {
            throw new IllegalArgumentException("LPIPS (alex) needs images of at least " + MIN_SIDE
                    + "x" + MIN_SIDE + ", got " + h + "x" + w);
        }
        if (a.length != (long) h * w * c || b.length != a.length) {
            throw new IllegalArgumentException("images have " + a.length + " and " + b.length
                    + " values, expected " + h + "x" + w + "x" + c + " = " + (long) h * w * c);
        }
        Tap[] fa = features(a, h, w, c), fb = features(b, h, w, c);
        double total = 0;
        for (int k = 0; k < 5; k++) total += tapDistance(fa[k], fb[k], lin[k]);
        return total;
    }

    /** A feature map [C][H][W] (channel-first). */
    record Tap(double[] v, int c, int h, int w) {}

    private Tap[] features(float[] img, int h, int w, int c) {
        double[] x = new double[3 * h * w];
        for (int ch = 0; ch < 3; ch++) {
            int src = c == 1 ? 0 : ch;
            for (int p = 0; p < h * w; p++) {
                x[ch * h * w + p] = (img[p * c + src] * 2.0 - 1.0 - SHIFT[ch]) / SCALE[ch];
            }
        }
        Tap t = new Tap(x, 3, h, w);
        Tap[] taps = new Tap[5];
        for (int k = 0; k < 5; k++) {
            if (k == 1 || k == 2) t = maxPool(t);
            t = convRelu(t, k);
            taps[k] = t;
        }
        return taps;
    }

    /** conv2d (cross-correlation, zero padding) + bias + ReLU for layer k. */
    private Tap convRelu(Tap in, int k) {
        int ci = IN[k], co = CHANNELS[k], ks = KERNEL[k], s = STRIDE[k], p = PAD[k];
        int ih = in.h(), iw = in.w();
        int oh = (ih + 2 * p - ks) / s + 1, ow = (iw + 2 * p - ks) / s + 1, plane = oh * ow;
        double[] x = in.v(), out = new double[co * plane], wt = weight[k];
        for (int o = 0; o < co; o++) {
            int ob = o * plane;
            Arrays.fill(out, ob, ob + plane, bias[k][o]);
            for (int i = 0; i < ci; i++) {
                int xb = i * ih * iw, wb = (o * ci + i) * ks * ks;
                for (int ky = 0; ky < ks; ky++) {
                    // valid output rows: 0 <= oy*s + ky - p < ih
                    int oy0 = Math.max(0, ceilDiv(p - ky, s)), oy1 = Math.min(oh - 1, Math.floorDiv(ih - 1 + p - ky, s));
                    for (int kx = 0; kx < ks; kx++) {
                        double wv = wt[wb + ky * ks + kx];
                        int ox0 = Math.max(0, ceilDiv(p - kx, s)), ox1 = Math.min(ow - 1, Math.floorDiv(iw - 1 + p - kx, s));
                        for (int oy = oy0; oy <= oy1; oy++) {
                            int orow = ob + oy * ow, irow = xb + (oy * s + ky - p) * iw + kx - p;
                            if (s == 1) {
                                for (int ox = ox0; ox <= ox1; ox++) out[orow + ox] += wv * x[irow + ox];
                            } else {
                                for (int ox = ox0; ox <= ox1; ox++) out[orow + ox] += wv * x[irow + ox * s];
                            }
                        }
                    }
                }
            }
        }
        for (int i = 0; i < out.length; i++) if (out[i] < 0) out[i] = 0;
        return new Tap(out, co, oh, ow);
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }

    /** max_pool2d(kernel 3, stride 2), no padding, floor mode. */
    private static Tap maxPool(Tap in) {
        int ih = in.h(), iw = in.w(), oh = (ih - 3) / 2 + 1, ow = (iw - 3) / 2 + 1;
        double[] x = in.v(), out = new double[in.c() * oh * ow];
        for (int ch = 0; ch < in.c(); ch++) {
            for (int oy = 0; oy < oh; oy++) {
                for (int ox = 0; ox < ow; ox++) {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int dy = 0; dy < 3; dy++) {
                        int row = (ch * ih + oy * 2 + dy) * iw + ox * 2;
                        for (int dx = 0; dx < 3; dx++) m = Math.max(m, x[row + dx]);
                    }
                    out[(ch * oh + oy) * ow + ox] = m;
                }
            }
        }
        return new Tap(out, in.c(), oh, ow);
    }

    /** mean over positions of sum_c lin[c] * (a/|a| - b/|b|)^2, norms over channels. */
    private static double tapDistance(Tap a, Tap b, double[] lin) {
        int plane = a.h() * a.w(), c = a.c();
        double[] na = new double[plane], nb = new double[plane];
        for (int ch = 0; ch < c; ch++) {
            for (int p = 0; p < plane; p++) {
                double u = a.v()[ch * plane + p], v = b.v()[ch * plane + p];
                na[p] += u * u;
                nb[p] += v * v;
            }
        }
        for (int p = 0; p < plane; p++) {
            na[p] = 1.0 / (Math.sqrt(na[p]) + EPS);
            nb[p] = 1.0 / (Math.sqrt(nb[p]) + EPS);
        }
        double sum = 0;
        for (int ch = 0; ch < c; ch++) {
            double s = 0;
            for (int p = 0; p < plane; p++) {
                double d = a.v()[ch * plane + p] * na[p] - b.v()[ch * plane + p] * nb[p];
                s += d * d;
            }
            sum += lin[ch] * s;
        }
        return sum / plane;
    }
}
