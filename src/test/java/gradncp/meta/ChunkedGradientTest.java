package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig.Selection;
import gradncp.data.Grid;
import gradncp.nn.Batch;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.nn.SirenSpec;
import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Full-context gradients and scores computed in chunks of points equal the one-pass ones. */
class ChunkedGradientTest {
    static final SirenSpec SPEC = new SirenSpec(2, 4, 3, 1, 30.0);

    @Test
    void chunkedFullGradientEqualsOnePass() {
        int r = 400; // 160,000 points x 2 signals > one chunk of 2^18 rows
        SplittableRandom rng = new SplittableRandom(1);
        double[] y = new double[2 * r * r];
        for (int i = 0; i < y.length; i++) {
            y[i] = rng.nextDouble();
        }
        Batch b = new Batch(Grid.image(r, r, DType.F64), Tensor.of(y, 2, r * r, 1));
        Params p = Siren.init(SPEC, 2, DType.F64).perSignal(2).param();
        InnerLoop.Gradient chunked = InnerLoop.fullGradient(SPEC, p, b);
        Tensor loss = InnerLoop.contextLoss(SPEC, p, b, null);
        List<Tensor> onePass = p.grad(loss.sum(), Autodiff.Mode.DETACHED);
        assertEquals(loss.detach().mean().item(), chunked.meanLoss(), 1e-12);
        for (int i = 0; i < onePass.size(); i++) {
            assertArrayEquals(onePass.get(i).toDoubleArray(), chunked.grads().get(i).toDoubleArray(), 1e-10);
        }
        int[][] idx = Context.select(SPEC, p, b, Selection.GRADNCP, 0.1, rng);
        assertEquals(r * r / 10, idx[1].length);
        assertTrue(idx[1][idx[1].length - 1] >= 131072, "the top-k must see points of every chunk");
    }
}
