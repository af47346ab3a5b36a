package gradncp.nn;

import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * NeRF (Mildenhall et al., 2020) as a pure function of (spec, params, rays) (ALGORITHM.md, NeRF).
 * A ray is 8 numbers: origin (3), direction (3), near, far. Each ray is sampled at S midpoints
 * t_i = near + (i + 1/2)(far - near)/S, spacing delta = (far - near)|d|/S. A sample point x is
 * encoded as [x, sin(2^k pi x), cos(2^k pi x)]_{k < F} (plus the same of the unit direction when
 * dirFreqs > 0), and an MLP with GELU hidden layers maps it to 4 raw outputs z: colour
 * c = sigmoid(z_0..2), density sigma = softplus(z_3). Alpha compositing:
 * tau_i = sigma_i delta, T_i = exp(-sum_{j<i} tau_j), w_i = T_i - T_{i+1}, and the ray colour is
 * C = sum_i w_i c_i + T_{S+1} bg (bg = 1 for a white background, else 0).
 *
 * <p>Every step is a composition of engine ops with second-order backward rules (tanh, exp, log,
 * erf, matmul, sums), so the meta-gradient flows through the renderer. The sample points and their
 * encoding depend on the rays only, which are data: they are constants of the graph.
 */
public final class Nerf {
    /** Numbers per ray: origin, direction, near, far. */
    public static final int RAY_DIM = 8;

    private Nerf() {}

    /** The last hidden features h [.., R*S, width] and the raw outputs z [.., R*S, 4] of some rays. */
    public record Features(Tensor hidden, Tensor raw) {}

    /** Encoded sample points of rays [R, 8] or [B, R, 8]: [R*S, P] or [B, R*S, P] (constants). */
    public static Tensor encode(NerfSpec spec, Tensor rays) {
        double[] r = rays.toDoubleArray();
        int n = r.length / RAY_DIM;
        int s = spec.samples();
        int p = spec.encodedDim();
        double[] out = new double[n * s * p];
        int o = 0;
        double[] x = new double[3];
        double[] u = new double[3];
        for (int ray = 0; ray < n; ray++) {
            int b = ray * RAY_DIM;
            double near = r[b + 6];
            double far = r[b + 7];
            double len = Math.sqrt(r[b + 3] * r[b + 3] + r[b + 4] * r[b + 4] + r[b + 5] * r[b + 5]);
            for (int a = 0; a < 3; a++) {
                u[a] = r[b + 3 + a] / len;
            }
            for (int i = 0; i < s; i++) {
                double t = near + (i + 0.5) * (far - near) / s;
                for (int a = 0; a < 3; a++) {
                    x[a] = r[b + a] + t * r[b + 3 + a];
                }
                o = features(x, spec.posFreqs(), out, o);
                if (spec.dirFreqs() > 0) {
                    o = features(u, spec.dirFreqs(), out, o);
                }
            }
        }
        int[] dims = rays.rank() == 3 ? new int[] {rays.dim(0), rays.dim(1) * s, p} : new int[] {n * s, p};
        return Tensor.of(rays.dtype(), out, dims);
    }

    private static int features(double[] v, int freqs, double[] out, int o) {
        for (double c : v) {
            out[o++] = c;
        }
        for (int k = 0; k < freqs; k++) {
            double f = Math.PI * (1 << k);
            for (double c : v) {
                out[o++] = Math.sin(f * c);
            }
            for (double c : v) {
                out[o++] = Math.cos(f * c);
            }
        }
        return o;
    }

    /** The spacing of each ray's samples, (far - near)|d|/S: [R, 1] or [B, R, 1] (a constant). */
    public static Tensor deltas(NerfSpec spec, Tensor rays) {
        double[] r = rays.toDoubleArray();
        int n = r.length / RAY_DIM;
        double[] d = new double[n];
        for (int ray = 0; ray < n; ray++) {
            int b = ray * RAY_DIM;
            double len = Math.sqrt(r[b + 3] * r[b + 3] + r[b + 4] * r[b + 4] + r[b + 5] * r[b + 5]);
            d[ray] = (r[b + 7] - r[b + 6]) * len / spec.samples();
        }
        int[] dims = rays.rank() == 3 ? new int[] {rays.dim(0), rays.dim(1), 1} : new int[] {n, 1};
        return Tensor.of(rays.dtype(), d, dims);
    }

    /** The MLP on encoded samples. */
    public static Features features(NerfSpec spec, Params p, Tensor encoded) {
        if (p.size() != 2 * spec.depth()) {
            throw new IllegalArgumentException("NeRF of depth " + spec.depth() + " needs " + 2 * spec.depth()
                    + " parameter tensors, got " + p.size());
        }
        Tensor h = encoded;
        for (int l = 0; l < spec.depth() - 1; l++) {
            h = h.linear(p.get(2 * l), p.get(2 * l + 1)).gelu();
        }
        int last = spec.depth() - 1;
        return new Features(h, h.linear(p.get(2 * last), p.get(2 * last + 1)));
    }

    /** Ray colours [.., R, 3] of rays [R, 8] or [B, R, 8] at params p (shared or per signal). */
    public static Tensor render(NerfSpec spec, Params p, Tensor rays) {
        Tensor raw = features(spec, p, encode(spec, rays)).raw();
        return composite(spec, raw, deltas(spec, rays), rays.dim(-2));
    }

    /** sigmoid(x) = (1 + tanh(x/2)) / 2. */
    static Tensor sigmoid(Tensor x) {
        return x.scale(0.5).tanh().addScalar(1.0).scale(0.5);
    }

    /** softplus(x) = log(1 + exp(x)). */
    static Tensor softplus(Tensor x) {
        return x.exp().addScalar(1.0).log();
    }

    /**
     * Alpha compositing of raw outputs [.., R*S, 4] with per-ray spacings [.., R, 1]: ray colours
     * [.., R, 3] (the class comment's C).
     */
    public static Tensor composite(NerfSpec spec, Tensor raw, Tensor delta, int rays) {
        int s = spec.samples();
        int lead = raw.rank() - 2;
        int[] dims4 = new int[lead + 3];
        for (int a = 0; a < lead; a++) {
            dims4[a] = raw.dim(a);
        }
        dims4[lead] = rays;
        dims4[lead + 1] = s;
        dims4[lead + 2] = 4;
        Tensor z = raw.reshape(dims4);
        Tensor rgb = sigmoid(z.slice(lead + 2, 0, 3)); // [.., R, S, 3]
        int[] dims3 = java.util.Arrays.copyOf(dims4, lead + 2);
        Tensor sigma = softplus(z.slice(lead + 2, 3, 1)).reshape(dims3); // [.., R, S]
        Tensor tau = sigma.mul(delta);
        Tensor before = tau.reshape(-1, s).matmul(exclusive(tau.dtype(), s)).reshape(dims3); // sum_{j<i} tau_j
        Tensor t = before.neg().exp(); // T_i
        Tensor tNext = before.add(tau).neg().exp(); // T_{i+1}
        Tensor w = t.sub(tNext);
        int[] wDims = java.util.Arrays.copyOf(dims3, lead + 3);
        wDims[lead + 2] = 1;
        Tensor colour = w.reshape(wDims).mul(rgb).sum(false, lead + 1); // [.., R, 3]
        if (spec.white()) {
            colour = colour.add(tNext.slice(lead + 1, s - 1, 1)); // + T_{S+1} * 1
        }
        return colour;
    }

    /** M [S, S] with M[j][i] = 1 for j < i: tau M is the exclusive cumulative sum. */
    private static Tensor exclusive(DType dtype, int s) {
        double[] m = new double[s * s];
        for (int j = 0; j < s; j++) {
            for (int i = j + 1; i < s; i++) {
                m[j * s + i] = 1;
            }
        }
        return Tensor.of(dtype, m, s, s);
    }

    /**
     * Squared Frobenius norms of the per-ray loss gradient with respect to the last layer (rgb and
     * density rows, weights and biases), up to the constant (2/3)^2 of l = ||C - y||^2 / 3
     * (ALGORITHM.md, NeRF: the score of a ray): for e = C - y,
     * G = sum_i u_i [h_i; 1]^T with u_i = (w_i e * c_i (1 - c_i), sigmoid(z_3i) delta (T_{i+1} e.c_i
     * - sum_{j>i} w_j e.c_j - T_{S+1} e.bg)), and the score is ||G||_F^2. With lastLayer false,
     * ||e||^2. Computed without a graph. Returns [B, R].
     */
    public static Tensor scores(NerfSpec spec, Params p, Tensor rays, Tensor targets, boolean lastLayer) {
        return Autodiff.noGrad(() -> {
            Features f = features(spec, p, encode(spec, rays));
            double[] h = f.hidden().toDoubleArray();
            double[] z = f.raw().toDoubleArray();
            double[] y = targets.toDoubleArray();
            double[] dl = deltas(spec, rays).toDoubleArray();
            int b = f.raw().rank() == 3 ? f.raw().dim(0) : 1;
            int r = targets.dim(-2);
            int s = spec.samples();
            int wd = spec.width();
            int raysPerDelta = dl.length / r; // 1 when rays are shared, b when per signal
            double[] out = new double[b * r];
            double[] c = new double[s * 3];
            double[] w = new double[s];
            double[] tNext = new double[s];
            double[] sig = new double[s];
            double[] g = new double[4 * (wd + 1)];
            double bg = spec.white() ? 1 : 0;
            for (int q = 0; q < b; q++) {
                for (int ray = 0; ray < r; ray++) {
                    double delta = dl[raysPerDelta == 1 ? ray : q * r + ray];
                    int zo = (q * r + ray) * s * 4;
                    double acc = 0;
                    double tr = 1;
                    double[] col = {0, 0, 0};
                    for (int i = 0; i < s; i++) {
                        double zs = z[zo + 4 * i + 3];
                        double sigma = zs > 30 ? zs : Math.log1p(Math.exp(zs));
                        sig[i] = 1 / (1 + Math.exp(-zs));
                        acc += sigma * delta;
                        double tn = Math.exp(-acc);
                        w[i] = tr - tn;
                        tNext[i] = tn;
                        tr = tn;
                        for (int a = 0; a < 3; a++) {
                            c[3 * i + a] = 1 / (1 + Math.exp(-z[zo + 4 * i + a]));
                            col[a] += w[i] * c[3 * i + a];
                        }
                    }
                    double[] e = new double[3];
                    double ee = 0;
                    for (int a = 0; a < 3; a++) {
                        e[a] = col[a] + tr * bg - y[(q * r + ray) * 3 + a];
                        ee += e[a] * e[a];
                    }
                    if (!lastLayer) {
                        out[q * r + ray] = ee;
                        continue;
                    }
                    java.util.Arrays.fill(g, 0);
                    double later = 0; // sum_{j>i} w_j e.c_j
                    double ebg = (e[0] + e[1] + e[2]) * bg;
                    for (int i = s - 1; i >= 0; i--) {
                        double ec = e[0] * c[3 * i] + e[1] * c[3 * i + 1] + e[2] * c[3 * i + 2];
                        double[] u = new double[4];
                        for (int a = 0; a < 3; a++) {
                            u[a] = w[i] * e[a] * c[3 * i + a] * (1 - c[3 * i + a]);
                        }
                        u[3] = sig[i] * delta * (tNext[i] * ec - later - tr * ebg);
                        later += w[i] * ec;
                        int ho = ((q * r + ray) * s + i) * wd;
                        for (int a = 0; a < 4; a++) {
                            int go = a * (wd + 1);
                            for (int k = 0; k < wd; k++) {
                                g[go + k] += u[a] * h[ho + k];
                            }
                            g[go + wd] += u[a];
                        }
                    }
                    double sum = 0;
                    for (double v : g) {
                        sum += v * v;
                    }
                    out[q * r + ray] = sum;
                }
            }
            return Tensor.of(DType.F32, out, b, r);
        });
    }

    /**
     * Initial bias of the density output: softplus(-2) = 0.127 per unit length, so a ray crossing
     * 2 units of empty space keeps about 78% transmittance and an untrained field renders mostly
     * background. A bias near 0 (softplus 0.69) starts every ray nearly opaque, and the outer loop
     * then spends its first steps only on clearing space (ALGORITHM.md, NeRF).
     */
    public static final double DENSITY_BIAS = -2.0;

    /**
     * PyTorch's nn.Linear initialisation for every layer: weights and biases ~ U(-1/sqrt(in),
     * 1/sqrt(in)); then the density bias is set to {@link #DENSITY_BIAS}. Drawn in float64.
     */
    public static Params init(NerfSpec spec, long seed, DType dtype) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Tensor> out = new ArrayList<>();
        for (int l = 0; l < spec.depth(); l++) {
            double r = 1 / Math.sqrt(spec.layerIn(l));
            out.add(Tensor.uniform(dtype, rng, -r, r, spec.layerOut(l), spec.layerIn(l)));
            Tensor bias = Tensor.uniform(dtype, rng, -r, r, spec.layerOut(l));
            if (l == spec.depth() - 1) {
                double[] b = bias.toDoubleArray();
                b[3] = DENSITY_BIAS;
                bias = Tensor.of(dtype, b, b.length);
            }
            out.add(bias);
        }
        return new Params(out);
    }
}
