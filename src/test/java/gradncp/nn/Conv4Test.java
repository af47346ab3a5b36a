package gradncp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.GradCheck;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The classifier's new ops (max-pool, group norm, cross-entropy) and the whole Conv-4 against
 * float64 central differences at orders 1 and 2, and its GradNCP score against autodiff's
 * last-layer gradient norm.
 */
class Conv4Test {
    static final Conv4Spec TINY = new Conv4Spec(1, 16, 4, 3, 2);

    private static double[] random(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] v = new double[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextDouble(lo, hi);
        }
        return v;
    }

    private static int size(int[] s) {
        int n = 1;
        for (int d : s) {
            n *= d;
        }
        return n;
    }

    /** Worst relative error at orders 1 and 2 of sum(c1 y^2 + c2 y) for y = op(inputs). */
    private static double check(Function<List<Tensor>, Tensor> op, int order, int[]... shapes) {
        GradCheck.Fn f = xs -> {
            Tensor y = op.apply(xs);
            double[] c1 = random(5, y.size(), -1, 1);
            double[] c2 = random(6, y.size(), -1, 1);
            int[] d = y.shape().dims();
            return y.square().mul(Tensor.of(c1, d)).add(y.mul(Tensor.of(c2, d))).sum();
        };
        List<double[]> values = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            values.add(random(10 + i, size(shapes[i]), -1, 1));
        }
        return GradCheck.relativeError(f, values, List.of(shapes), order, 3);
    }

    @Test
    void maxPoolMatchesFiniteDifferencesAtOrdersOneAndTwo() {
        for (int order = 1; order <= 2; order++) {
            double err = check(x -> Conv4.maxPool2x2(x.get(0)), order, new int[] {2, 2, 3, 5, 4});
            assertTrue(err < 1e-6, "max-pool order " + order + " rel err " + err);
        }
    }

    @Test
    void maxPoolTakesTheLargestOfEachWindowAndDropsAnOddRow() {
        Tensor x = Tensor.of(new double[] {1, 5, 2, 0, 3, 4, 9, -1, 7, 8, 6, 6}, 1, 1, 1, 3, 4);
        assertArrayEquals(new double[] {5, 9}, Conv4.maxPool2x2(x).toDoubleArray(), 0);
    }

    @Test
    void groupNormMatchesFiniteDifferencesAtOrdersOneAndTwo() {
        for (int order = 1; order <= 2; order++) {
            double err = check(x -> Conv4.groupNorm(x.get(0), x.get(1), x.get(2), 2), order,
                    new int[] {2, 4, 3, 2, 2}, new int[] {2, 4}, new int[] {2, 4});
            assertTrue(err < 1e-6, "group norm order " + order + " rel err " + err);
        }
    }

    @Test
    void groupNormGivesEachGroupOfEachImageZeroMeanAndUnitVariance() {
        Tensor x = Tensor.of(random(3, 2 * 4 * 3 * 4, -2, 5), 2, 4, 3, 2, 2);
        Tensor y = Conv4.groupNorm(x, Tensor.full(DType.F64, 1.0, 2, 4), Tensor.zeros(DType.F64, 2, 4), 2)
                .reshape(2, 2, 2, 3, 4);
        double[] mean = y.mean(false, 2, 4).toDoubleArray();
        double[] var = y.square().mean(false, 2, 4).toDoubleArray();
        for (int i = 0; i < mean.length; i++) {
            assertEquals(0.0, mean[i], 1e-12);
            assertEquals(1.0, var[i], 1e-3); // eps 1e-5 in the denominator
        }
    }

    @Test
    void crossEntropyMatchesFiniteDifferencesAtOrdersOneAndTwo() {
        double[] y = new double[2 * 3 * 4];
        for (int r = 0; r < 6; r++) {
            y[r * 4 + (r * 7) % 4] = 1;
        }
        Tensor onehot = Tensor.of(y, 2, 3, 4);
        for (int order = 1; order <= 2; order++) {
            double err = check(x -> Conv4.crossEntropy(x.get(0).scale(3.0), onehot), order, new int[] {2, 3, 4});
            assertTrue(err < 1e-6, "cross-entropy order " + order + " rel err " + err);
        }
    }

    @Test
    void crossEntropyIsMinusLogSoftmaxOfTheLabelEvenForLargeLogits() {
        Tensor z = Tensor.of(new double[] {1000, 1001, 999, 0, 2, 1}, 1, 2, 3);
        Tensor y = Tensor.of(new double[] {0, 1, 0, 1, 0, 0}, 1, 2, 3);
        double[] ce = Conv4.crossEntropy(z, y).toDoubleArray();
        double lse1 = 1001 + Math.log(Math.exp(-1) + 1 + Math.exp(-2));
        double lse2 = Math.log(1 + Math.exp(2) + Math.exp(1));
        assertEquals(lse1 - 1001, ce[0], 1e-12);
        assertEquals(lse2 - 0, ce[1], 1e-12);
    }

    private static Tensor images(long seed, int b, int k) {
        return Tensor.of(random(seed, b * k * 16 * 16, 0, 1), b, k, 1, 16, 16);
    }

    private static Tensor onehot(int b, int k, int ways) {
        double[] y = new double[b * k * ways];
        for (int i = 0; i < b * k; i++) {
            y[i * ways + i % ways] = 1;
        }
        return Tensor.of(y, b, k, ways);
    }

    @Test
    void wholeNetworkLossMatchesFiniteDifferencesAtOrdersOneAndTwo() {
        Params shared = TINY.init(4, DType.F64);
        List<int[]> shapes = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (Tensor t : shared.perSignal(2).tensors()) {
            shapes.add(t.shape().dims());
            values.add(t.toDoubleArray());
        }
        Batch batch = Batch.episode(images(7, 2, 3), onehot(2, 3, 3), null);
        GradCheck.Fn loss = xs -> TINY.loss(TINY.forward(new Params(xs), batch, Elements.all(3)), batch.values()).sum();
        for (int order = 1; order <= 2; order++) {
            double err = GradCheck.relativeError(loss, values, shapes, order, 17);
            assertTrue(err < 1e-6, "Conv-4 loss order " + order + " rel err " + err);
        }
    }

    @Test
    void scoreIsTheNormOfEachExamplesLastLayerGradient() {
        Params p = TINY.init(5, DType.F64).perSignal(2).param();
        Batch batch = Batch.episode(images(8, 2, 5), onehot(2, 5, 3), null);
        double[] scores = TINY.scores(p, batch, Elements.all(5), true).toDoubleArray();
        int head = p.size() - 2;
        for (int b = 0; b < 2; b++) {
            for (int i = 0; i < 5; i++) {
                int[][] one = {{i}, {i}};
                Tensor li = TINY.loss(TINY.forward(p, batch, Elements.of(one, 5)), batch.targets(Elements.of(one, 5)));
                List<Tensor> g = Autodiff.grad(li.slice(0, b, 1).sum(), List.of(p.get(head), p.get(head + 1)),
                        Autodiff.Mode.DETACHED);
                double sq = g.get(0).square().sum().item() + g.get(1).square().sum().item();
                assertEquals(Math.sqrt(sq), scores[b * 5 + i], 1e-12 * Math.max(1, Math.sqrt(sq)));
            }
        }
    }

    @Test
    void scoresAndLossesDoNotDependOnTheChunk() {
        Params p = TINY.init(6, DType.F64).perSignal(2);
        Batch batch = Batch.episode(images(9, 2, 6), onehot(2, 6, 3), null);
        double[] all = TINY.scores(p, batch, Elements.all(6), true).toDoubleArray();
        double[] part = TINY.scores(p, batch, Elements.range(2, 3), true).toDoubleArray();
        for (int b = 0; b < 2; b++) {
            for (int j = 0; j < 3; j++) {
                assertEquals(all[b * 6 + 2 + j], part[b * 3 + j], 1e-12);
            }
        }
        double whole = TINY.loss(TINY.forward(p, batch, Elements.all(6)), batch.values()).sum().item();
        double chunks = 0;
        for (int lo = 0; lo < 6; lo += 4) {
            Elements r = Elements.range(lo, Math.min(4, 6 - lo));
            chunks += TINY.chunkLoss(TINY.forward(p, batch, r), batch.targets(r), 6).item();
        }
        assertEquals(whole, chunks, 1e-12);
    }

    @Test
    void badShapesAreRejectedWithTheNeededShape() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Conv4Spec(1, 12, 4, 3, 2));
        assertTrue(e.getMessage().contains("size >= 16"), e.getMessage());
        Params p = TINY.init(1, DType.F64).perSignal(1);
        var f = assertThrows(IllegalArgumentException.class,
                () -> Conv4.forward(TINY, p, Tensor.zeros(DType.F64, 1, 2, 1, 20, 20)));
        assertTrue(f.getMessage().contains("[B, K, 1, 16, 16]"), f.getMessage());
        assertEquals(TINY, Conv4Spec.fromSpec(TINY.specMap()));
    }
}
