package gradncp.meta;

import gradncp.config.MetaConfig;
import gradncp.data.Grid;
import gradncp.nn.Batch;
import gradncp.nn.Decoder;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.nn.SirenSpec;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The meta-gradient check in float64: the analytic d metaLoss / d theta0 (backprop through the
 * inner steps) against central finite differences of the whole meta-loss in every parameter,
 * on a tiny SIREN (2 -> 8 -> 8 -> 3, w0 30) with 2 signals on a 6x6 grid. For gradncp the
 * bootstrap target is computed once and held fixed (ALGORITHM.md, Gradient checks).
 */
public final class MetaGradCheck {
    public static final SirenSpec SPEC = new SirenSpec(2, 8, 3, 3, 30.0);
    private static final double EPS = 1e-6;

    private MetaGradCheck() {}

    /** A config of the tiny problem: 2 inner steps, context ratio 0.5, plus overrides. */
    public static MetaConfig config(String... overrides) {
        List<String> o = new ArrayList<>(List.of("innerSteps=2", "contextRatio=0.5", "bootSteps=2",
                "bootWeight=0.5", "width=8", "depth=3", "metaBatch=2"));
        o.addAll(List.of(overrides));
        return MetaConfig.defaults().withOverrides(o);
    }

    public static Batch batch(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] y = new double[2 * 36 * 3];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextDouble();
        }
        return new Batch(Grid.image(6, 6, DType.F64), Tensor.of(y, 2, 36, 3));
    }

    /** ||analytic - numeric|| / ||numeric|| for cfg at init seed. */
    public static double relativeError(MetaConfig cfg, long seed) {
        Params theta = Siren.init(SPEC, seed, DType.F64);
        Batch b = batch(seed + 100);
        return relative(analytic(cfg, theta, b), numeric(cfg, theta, b));
    }

    /** The same error for the first-order variant of cfg, measured against the exact (numeric) gradient. */
    public static double firstOrderError(MetaConfig cfg, long seed) {
        Params theta = Siren.init(SPEC, seed, DType.F64);
        Batch b = batch(seed + 100);
        MetaConfig first = cfg.withOverrides(List.of("order=first"));
        return relative(analytic(first, theta, b), numeric(cfg, theta, b));
    }

    static double[] analytic(MetaConfig cfg, Params theta, Batch b) {
        return analytic(SPEC, cfg, theta, b);
    }

    static double[] numeric(MetaConfig cfg, Params theta, Batch b) {
        return numeric(SPEC, cfg, theta, b);
    }

    /** ||analytic - numeric|| / ||numeric|| of the meta-gradient of any decoder at shared params theta. */
    public static double relativeError(Decoder decoder, MetaConfig cfg, Params theta, Batch b) {
        return relative(analytic(decoder, cfg, theta, b), numeric(decoder, cfg, theta, b));
    }

    /** The analytic meta-gradient, flattened (mode: kept graph or recompute). */
    public static double[] analytic(Decoder decoder, MetaConfig cfg, Params theta, Batch b, MetaStep.Mode mode) {
        return flat(MetaStep.gradient(decoder, theta, b, cfg, new SplittableRandom(1), mode).grads());
    }

    public static double[] analytic(Decoder decoder, MetaConfig cfg, Params theta, Batch b) {
        return analytic(decoder, cfg, theta, b, MetaStep.Mode.KEPT_GRAPH);
    }

    /** Central differences of the meta-loss in every parameter, the bootstrap target held fixed. */
    public static double[] numeric(Decoder decoder, MetaConfig cfg, Params theta, Batch b) {
        Params boot = MetaObjective.loss(decoder, theta.param(), b, cfg, new SplittableRandom(1), null).boot();
        List<double[]> base = new ArrayList<>();
        theta.tensors().forEach(t -> base.add(t.toDoubleArray()));
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < base.size(); i++) {
            double[] g = new double[base.get(i).length];
            for (int j = 0; j < g.length; j++) {
                g[j] = (lossAt(decoder, cfg, theta, base, i, j, EPS, b, boot)
                        - lossAt(decoder, cfg, theta, base, i, j, -EPS, b, boot)) / (2 * EPS);
            }
            out.add(g);
        }
        return flat(out);
    }

    private static double lossAt(Decoder decoder, MetaConfig cfg, Params theta, List<double[]> base, int i, int j, double step,
            Batch b, Params boot) {
        List<Tensor> ts = new ArrayList<>();
        for (int q = 0; q < base.size(); q++) {
            double[] v = base.get(q).clone();
            if (q == i) {
                v[j] += step;
            }
            ts.add(Tensor.of(v, theta.get(q).shape().dims()));
        }
        return MetaObjective.loss(decoder, new Params(ts).param(), b, cfg, new SplittableRandom(1), boot).loss()
                .item();
    }

    static double[] flat(List<double[]> gs) {
        int n = gs.stream().mapToInt(a -> a.length).sum();
        double[] out = new double[n];
        int o = 0;
        for (double[] a : gs) {
            System.arraycopy(a, 0, out, o, a.length);
            o += a.length;
        }
        return out;
    }

    static double relative(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }
}
