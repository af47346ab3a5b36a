package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig.Selection;
import gradncp.nn.Batch;
import gradncp.nn.Conv4Spec;
import gradncp.nn.Params;
import gradncp.nn.SirenSpec;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The non-default per-class selection (ALGORITHM.md, Context selection). */
class PerClassSelectionTest {
    @Test
    void keepsTheBestOfEveryClassWhereTheGlobalTopKTakesOneClass() {
        // 12 elements of 3 classes (label i % 3); class 0 holds the three largest scores
        float[] score = {9, 1, 2, 8, 3, 0.5f, 7, 0.1f, 4, 6, 0.2f, 0.3f};
        int[] labels = new int[12];
        for (int i = 0; i < 12; i++) {
            labels[i] = i % 3;
        }
        assertArrayEquals(new int[] {0, 3, 6}, Context.topK(score, 0, 12, 3));
        assertArrayEquals(new int[] {0, 4, 8}, Context.perClassTopK(score, labels, 0, 12, 3, 0.25));
    }

    @Test
    void fillsTheRemainderWithTheHighestOtherScoresAndReadsItsOwnSignal() {
        // signal 1 of two: 10 elements, classes 0 (first five) and 1; ratio 0.5 keeps 2 per class, then 1 more
        float[] score = new float[20];
        float[] mine = {5, 4, 3, 2, 1, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f};
        System.arraycopy(mine, 0, score, 10, 10);
        int[] labels = new int[20];
        for (int i = 0; i < 20; i++) {
            labels[i] = (i % 10) < 5 ? 0 : 1;
        }
        assertArrayEquals(new int[] {0, 1, 2, 5, 6}, Context.perClassTopK(score, labels, 10, 10, 5, 0.5));
    }

    @Test
    void selectsOnAnEpisodeInProportionToTheClassesAndRefusesFields() {
        Conv4Spec spec = new Conv4Spec(1, 16, 4, 3, 2);
        int n = 12;
        SplittableRandom r = new SplittableRandom(3);
        double[] img = new double[n * 16 * 16];
        for (int i = 0; i < img.length; i++) {
            img[i] = r.nextDouble();
        }
        double[] y = new double[n * 3];
        for (int i = 0; i < n; i++) {
            y[i * 3 + i % 3] = 1;
        }
        Batch batch = Batch.episode(Tensor.of(img, 1, n, 1, 16, 16), Tensor.of(y, 1, n, 3), null);
        Params p = spec.init(1, DType.F64).perSignal(1);
        int[] kept = Context.select(spec, p, batch, Selection.GRADNCP_PER_CLASS, 0.5, new SplittableRandom(0))[0];
        assertEquals(Context.keep(n, 0.5), kept.length);
        int[] perClass = new int[3];
        for (int i : kept) {
            perClass[i % 3]++;
        }
        assertArrayEquals(new int[] {2, 2, 2}, perClass);

        SirenSpec siren = new SirenSpec(2, 8, 2, 1, 30);
        Batch field = new Batch(Tensor.of(new double[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2),
                Tensor.of(new double[] {0.2, 0.4, 0.6, 0.8}, 1, 4, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Context.select(siren,
                siren.init(0, DType.F64).perSignal(1), field, Selection.GRADNCP_PER_CLASS, 0.5,
                new SplittableRandom(0)));
        assertTrue(e.getMessage().contains("one-hot"), e.getMessage());
    }
}
