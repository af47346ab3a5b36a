package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig;
import gradncp.nn.Batch;
import gradncp.nn.Nerf;
import gradncp.nn.NerfSpec;
import gradncp.nn.Params;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * NeRF through the one pipeline on a tiny network (depth 3, width 4, 5 samples per ray, 2 scenes
 * of 6 rays, 2 inner steps keeping 3 rays each, 80 parameters): the meta-gradient of maml and of
 * gradncp with the bootstrap target against float64 central differences of the whole meta-loss in
 * every parameter, and the recomputed meta-gradient against the kept graph.
 */
class NerfMetaGradientTest {
    static final NerfSpec TINY = new NerfSpec(4, 3, 5, 1, 0, true);

    /** 6 rays from around (0, 0, 3) towards the origin (near 1, far 5), targets in [0, 1]. */
    private static Batch batch() {
        SplittableRandom r = new SplittableRandom(31);
        double[] rays = new double[6 * 8];
        for (int i = 0; i < 6; i++) {
            double[] ray = {r.nextDouble(-0.3, 0.3), r.nextDouble(-0.3, 0.3), 3, r.nextDouble(-0.3, 0.3),
                r.nextDouble(-0.3, 0.3), -1, 1, 5};
            System.arraycopy(ray, 0, rays, 8 * i, 8);
        }
        return new Batch(Tensor.of(rays, 6, 8), Tensor.uniform(DType.F64, r, 0, 1, 2, 6, 3));
    }

    private static MetaConfig config(String... more) {
        return MetaGradCheck.config("innerLr=1.0", "bootLr=0.5", "contextRatio=0.5").withOverrides(List.of(more));
    }

    @Test
    void gradncpMetaGradientWithBootstrapMatchesFiniteDifferences() {
        Params theta = Nerf.init(TINY, 8, DType.F64);
        MetaConfig cfg = config("method=gradncp", "bootstrap=true");
        double[] numeric = MetaGradCheck.numeric(TINY, cfg, theta, batch());
        double err = MetaGradCheck.relative(MetaGradCheck.analytic(TINY, cfg, theta, batch()), numeric);
        double first = MetaGradCheck.relative(MetaGradCheck.analytic(TINY, cfg.withOverrides(List.of("order=first")),
                theta, batch()), numeric);
        System.out.printf("NeRF gradncp+bootstrap meta-gradient rel err: second order %.2e, first order %.2e%n",
                err, first);
        assertTrue(err < 1e-6, "second-order meta-gradient rel err " + err);
        assertTrue(first > 1e-3, "first-order should differ from the exact meta-gradient, rel err " + first);
    }

    @Test
    void mamlMetaGradientMatchesFiniteDifferences() {
        Params theta = Nerf.init(TINY, 9, DType.F64);
        double err = MetaGradCheck.relativeError(TINY, config("method=maml"), theta, batch());
        assertTrue(err < 1e-6, "maml meta-gradient rel err " + err);
    }

    @Test
    void recomputedMetaGradientEqualsKeptGraph() {
        Params theta = Nerf.init(TINY, 10, DType.F64);
        MetaConfig cfg = config("method=gradncp", "bootstrap=true");
        double[] kept = MetaGradCheck.analytic(TINY, cfg, theta, batch(), MetaStep.Mode.KEPT_GRAPH);
        double[] rec = MetaGradCheck.analytic(TINY, cfg, theta, batch(), MetaStep.Mode.RECOMPUTE);
        assertTrue(MetaGradCheck.relative(rec, kept) < 1e-12, "recomputed NeRF meta-gradient differs");
    }
}
