package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig.Selection;
import gradncp.config.MetaConfig;
import gradncp.nn.Batch;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Invariants of GradNCP's pieces (issue 3), on the tiny float64 problem of MetaGradCheck. */
class InvariantsTest {
    static double[] metaGrad(MetaConfig cfg, long seed) {
        Params theta = Siren.init(MetaGradCheck.SPEC, seed, DType.F64);
        return MetaGradCheck.analytic(cfg, theta, MetaGradCheck.batch(seed + 100));
    }

    static double loss(MetaConfig cfg, long seed) {
        Params theta = Siren.init(MetaGradCheck.SPEC, seed, DType.F64).param();
        return MetaObjective.loss(MetaGradCheck.SPEC, theta, MetaGradCheck.batch(seed + 100), cfg,
                new SplittableRandom(1), null).loss().item();
    }

    @Test
    void gammaOneWithoutBootstrapEqualsMaml() {
        MetaConfig g = MetaGradCheck.config("method=gradncp", "contextRatio=1.0", "bootstrap=false");
        MetaConfig m = MetaGradCheck.config("method=maml");
        assertArrayEquals(metaGrad(m, 2), metaGrad(g, 2), 1e-14);
        assertEquals(loss(m, 2), loss(g, 2), 1e-15);
    }

    @Test
    void lambdaZeroRemovesTheBootstrapTerm() {
        MetaConfig zero = MetaGradCheck.config("method=gradncp", "bootWeight=0");
        MetaConfig off = MetaGradCheck.config("method=gradncp", "bootstrap=false");
        assertArrayEquals(metaGrad(off, 3), metaGrad(zero, 3), 1e-14);
        MetaConfig on = MetaGradCheck.config("method=gradncp", "bootWeight=0.5");
        assertTrue(Math.abs(loss(on, 3) - loss(off, 3)) > 1e-6, "the bootstrap term must change the loss");
    }

    @Test
    void selectionKeepsExactlyFloorGammaNDistinctTopScores() {
        Params p = Siren.init(MetaGradCheck.SPEC, 4, DType.F64).perSignal(2);
        Batch b = MetaGradCheck.batch(9);
        int[][] idx = Context.select(MetaGradCheck.SPEC, p, b, Selection.GRADNCP, 0.3, new SplittableRandom(0));
        float[] score = Context.scores(MetaGradCheck.SPEC, p, b, true);
        int n = b.points();
        for (int s = 0; s < 2; s++) {
            assertEquals((int) Math.floor(0.3 * n), idx[s].length);
            assertEquals(idx[s].length, IntStream.of(idx[s]).distinct().count());
            final int sig = s;
            float minKept = (float) IntStream.of(idx[s]).mapToDouble(i -> score[sig * n + i]).min().orElseThrow();
            long above = IntStream.range(0, n).filter(i -> score[sig * n + i] > minKept).count();
            assertTrue(above <= idx[s].length, "a dropped point scores above a kept one");
        }
    }

    @Test
    void scoreIsTheLastLayerGradientNorm() {
        // ||d l_i / d(W_L, b_L)|| for one point, by autodiff, equals ||e|| sqrt(||phi||^2 + 1) (up to 2)
        Params p = Siren.init(MetaGradCheck.SPEC, 5, DType.F64).perSignal(2);
        Batch b = MetaGradCheck.batch(10);
        float[] score = Context.scores(MetaGradCheck.SPEC, p, b, true);
        int point = 7;
        Params leaves = p.param();
        Tensor loss = InnerLoop.contextLoss(MetaGradCheck.SPEC, leaves, b, new int[][] {{point}, {point}}).sum();
        List<Tensor> g = Autodiff.grad(loss, List.of(leaves.get(4), leaves.get(5)), Autodiff.Mode.DETACHED);
        double sq = Arrays.stream(g.get(0).slice(0, 0, 1).toDoubleArray()).map(x -> x * x).sum()
                + Arrays.stream(g.get(1).slice(0, 0, 1).toDoubleArray()).map(x -> x * x).sum();
        // per-point loss is the mean over C channels: gradient = 2/C e (x) [phi; 1]
        double expected = Math.sqrt(score[point]) * 2.0 / 3.0;
        assertEquals(expected, Math.sqrt(sq), 1e-6 * expected);
    }

    @Test
    void rescaleFactorIsOneOnTheFullContext() {
        Params p = Siren.init(MetaGradCheck.SPEC, 6, DType.F64).perSignal(2).param();
        Batch b = MetaGradCheck.batch(11);
        List<Tensor> g = p.grad(InnerLoop.contextLoss(MetaGradCheck.SPEC, p, b, null).sum(), Autodiff.Mode.DETACHED);
        List<Tensor> g2 = p.grad(InnerLoop.contextLoss(MetaGradCheck.SPEC, p, b, null).sum(), Autodiff.Mode.DETACHED);
        assertArrayEquals(new double[] {1, 1}, InnerLoop.rescaleFactors(g, g2), 1e-12);
    }

    @Test
    void everyInitParameterGetsANonZeroMetaGradient() {
        for (String method : new String[] {"maml", "gradncp"}) {
            double[] g = metaGrad(MetaGradCheck.config("method=" + method), 7);
            long zeros = Arrays.stream(g).filter(x -> x == 0.0).count();
            assertEquals(0, zeros, method + ": " + zeros + " of " + g.length + " meta-gradient entries are zero");
        }
    }

    @Test
    void oneInnerStepLowersTheInnerLoss() {
        Params p = Siren.init(MetaGradCheck.SPEC, 8, DType.F64).perSignal(2);
        Batch b = MetaGradCheck.batch(12);
        double before = InnerLoop.contextLoss(MetaGradCheck.SPEC, p, b, null).mean().item();
        Params after = InnerLoop.adapt(MetaGradCheck.SPEC, p, b, new InnerLoop.Plan(1, 0.01, Selection.FULL, 1.0,
                InnerLoop.Graph.NONE, InnerLoop.StepRule.PLAIN), new SplittableRandom(0)).params();
        assertTrue(InnerLoop.contextLoss(MetaGradCheck.SPEC, after, b, null).mean().item() < before);
    }
}
