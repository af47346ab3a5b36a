package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.data.Grid;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.nn.SirenSpec;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Second-order meta-gradients against float64 central finite differences of the whole meta-loss. */
class MetaGradientTest {
    static final SirenSpec SPEC = new SirenSpec(2, 8, 3, 3, 30.0);

    static Batch batch(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] y = new double[2 * 36 * 3];
        for (int i = 0; i < y.length; i++) {
            y[i] = r.nextDouble();
        }
        return new Batch(Grid.image(6, 6, DType.F64), Tensor.of(y, 2, 36, 3));
    }

    static MetaConfig config(String... overrides) {
        List<String> o = new ArrayList<>(List.of("innerSteps=2", "contextRatio=0.5", "bootSteps=2",
                "bootWeight=0.5", "width=8", "depth=3"));
        o.addAll(List.of(overrides));
        return MetaConfig.defaults().withOverrides(o);
    }

    static double[] analytic(MetaConfig cfg, Params theta, Batch b) {
        MetaStep.Gradient g = MetaStep.gradient(SPEC, theta, b, cfg, new SplittableRandom(1));
        return flat(g.grads());
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

    /** Central differences of the meta-loss in every coordinate, with the bootstrap target held fixed. */
    static double[] numeric(MetaConfig cfg, Params theta, Batch b) {
        Params boot = MetaObjective.loss(SPEC, theta.param(), b, cfg, new SplittableRandom(1), null).boot();
        List<double[]> base = new ArrayList<>();
        theta.tensors().forEach(t -> base.add(t.toDoubleArray()));
        List<double[]> out = new ArrayList<>();
        double eps = 1e-6;
        for (int i = 0; i < base.size(); i++) {
            double[] g = new double[base.get(i).length];
            for (int j = 0; j < g.length; j++) {
                double[] f = new double[2];
                for (int s = 0; s < 2; s++) {
                    List<Tensor> ts = new ArrayList<>();
                    for (int q = 0; q < base.size(); q++) {
                        double[] v = base.get(q).clone();
                        if (q == i) {
                            v[j] += s == 0 ? eps : -eps;
                        }
                        ts.add(Tensor.of(v, theta.get(q).shape().dims()));
                    }
                    f[s] = MetaObjective.loss(SPEC, new Params(ts).param(), b, cfg, new SplittableRandom(1), boot)
                            .loss().item();
                }
                g[j] = (f[0] - f[1]) / (2 * eps);
            }
            out.add(g);
        }
        return flat(out);
    }

    static double relErr(double[] a, double[] b) {
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - b[i]) * (a[i] - b[i]);
            den += b[i] * b[i];
        }
        return Math.sqrt(num / den);
    }

    @Test
    void mamlTwoStepsWithGatheredContextMatchesFiniteDifferences() {
        MetaConfig cfg = config("method=gradncp", "bootstrap=false");
        Params theta = Siren.init(SPEC, 3, DType.F64);
        double err = relErr(analytic(cfg, theta, batch(5)), numeric(cfg, theta, batch(5)));
        assertTrue(err < 1e-7, "second-order meta-gradient rel err " + err);
    }

    @Test
    void gradncpWithBootstrapMatchesFiniteDifferencesWithFixedTarget() {
        MetaConfig cfg = config("method=gradncp");
        Params theta = Siren.init(SPEC, 4, DType.F64);
        double err = relErr(analytic(cfg, theta, batch(6)), numeric(cfg, theta, batch(6)));
        assertTrue(err < 1e-7, "gradncp meta-gradient rel err " + err);
    }

    @Test
    void firstOrderMetaGradientDiffersFromTheExactOne() {
        Params theta = Siren.init(SPEC, 3, DType.F64);
        double[] exact = numeric(config("method=gradncp", "bootstrap=false"), theta, batch(5));
        double[] first = analytic(config("method=gradncp", "bootstrap=false", "order=first"), theta, batch(5));
        double err = relErr(first, exact);
        assertTrue(err > 1e-3, "first-order meta-gradient should differ from the exact one, rel err " + err);
    }
}
