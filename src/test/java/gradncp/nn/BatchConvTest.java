package gradncp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The per-signal convolutions against the engine's shared-weight ops, frame by frame. */
class BatchConvTest {
    private static Tensor random(long seed, int... dims) {
        return Tensor.uniform(DType.F64, new SplittableRandom(seed), -1, 1, dims);
    }

    /** [B, C, T, H, W] -> [B*T, C, H, W], the frames as separate images. */
    private static Tensor frames(Tensor x) {
        return x.permute(0, 2, 1, 3, 4).reshape(x.dim(0) * x.dim(2), x.dim(1), x.dim(3), x.dim(4));
    }

    @Test
    void conv3x3WithEqualCopiesEqualsTheSharedConv() {
        Tensor x = random(1, 2, 3, 2, 5, 6);
        Params shared = new Params(List.of(random(2, 4, 3, 3, 3), random(3, 4)));
        Params copies = shared.perSignal(2);
        Tensor mine = BatchConv.conv3x3(x, copies.get(0), copies.get(1));
        Tensor ref = frames(x).conv2d3x3(shared.get(0), shared.get(1));
        assertArrayEquals(ref.toDoubleArray(), frames(mine).toDoubleArray(), 1e-13);
    }

    @Test
    void conv3x3WithDistinctCopiesUsesEachSignalsOwnWeights() {
        Tensor x = random(4, 2, 3, 2, 4, 4);
        Tensor w = random(5, 2, 5, 3, 3, 3);
        Tensor bias = random(6, 2, 5);
        Tensor mine = frames(BatchConv.conv3x3(x, w, bias));
        for (int b = 0; b < 2; b++) {
            Tensor ref = frames(x.slice(0, b, 1)).conv2d3x3(w.slice(0, b, 1).reshape(5, 3, 3, 3),
                    bias.slice(0, b, 1).reshape(5));
            assertArrayEquals(ref.toDoubleArray(), mine.slice(0, 2 * b, 2).toDoubleArray(), 1e-13);
        }
    }

    @Test
    void conv1x1WithEqualCopiesEqualsTheSharedConv() {
        Tensor x = random(7, 2, 4, 3, 3, 5);
        Params shared = new Params(List.of(random(8, 3, 4, 1, 1), random(9, 3)));
        Params copies = shared.perSignal(2);
        Tensor mine = BatchConv.conv1x1(x, copies.get(0), copies.get(1));
        Tensor ref = frames(x).conv2d1x1(shared.get(0), shared.get(1));
        assertArrayEquals(ref.toDoubleArray(), frames(mine).toDoubleArray(), 1e-13);
    }

    @Test
    void pixelShuffleMatchesTheEnginesPerFrame() {
        Tensor x = random(10, 2, 8, 3, 2, 3);
        Tensor mine = frames(BatchConv.pixelShuffle(x, 2));
        assertArrayEquals(frames(x).pixelShuffle(2).toDoubleArray(), mine.toDoubleArray(), 0);
    }
}
