package gradncp.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.tensor.DType;
import gradncp.tensor.GradCheck;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** NeRV: sizes, init, output range, the per-signal convolutions and float64 gradient checks. */
class NervTest {
    /** T = 4, 3 PE levels, stem 6 -> 8 -> 2x2x2, strides [2, 2], channels 2 -> 4 -> 3: 8x8 frames, 888 params. */
    static final NervSpec TINY = new NervSpec(4, 3, 8, 2, new int[] {2, 2}, new int[] {2, 4, 3});

    @Test
    void smallConfigHasTheHandCountedParameters() {
        long stem = (512L * 80 + 512) + (512L * 512 + 512);
        long blocks = (2048L * 32 * 9 + 2048) + (256L * 128 * 9 + 256) + (128L * 64 * 9 + 128) + (128L * 32 * 9 + 128);
        long head = 3 * 32 + 3;
        NervSpec small = NervSpec.small(16);
        System.out.println("NeRV small: " + small.parameterCount() + " parameters, large: "
                + NervSpec.large(32).parameterCount());
        assertEquals(1_302_115L, stem + blocks + head);
        assertEquals(stem + blocks + head, small.parameterCount());
        assertEquals(1_302_115L + 128L * 32 * 9 + 128, NervSpec.large(32).parameterCount());
        assertArrayEquals(new int[] {32, 128, 64, 32, 32}, small.channels());
        assertEquals(128, small.resolution());
        assertEquals(256, NervSpec.large(32).resolution());
    }

    @Test
    void tinyConfigHasTheHandCountedParameters() {
        assertEquals((8 * 6 + 8) + (8 * 8 + 8) + (16 * 2 * 9 + 16) + (12 * 4 * 9 + 12) + (3 * 3 + 3),
                TINY.parameterCount());
        assertEquals("blocks.1.conv.weight", TINY.params().get(6).name());
        assertArrayEquals(new int[] {12, 4, 3, 3}, TINY.params().get(6).shape());
    }

    @Test
    void initIsPytorchDefaultUniformInOneOverSqrtFanIn() {
        NervSpec small = NervSpec.small(2);
        Params p = Nerv.init(small, 7, DType.F32);
        for (int i = 0; i < p.size(); i++) {
            ParamSpec w = small.params().get(i - i % 2);
            double bound = 1.0 / Math.sqrt(w.size() / w.shape()[0]);
            double max = 0;
            for (double v : p.get(i).toDoubleArray()) {
                max = Math.max(max, Math.abs(v));
            }
            boolean spread = p.get(i).size() < 100 || max > 0.9 * bound; // the 3 head biases may not come close
            assertTrue(max <= bound && spread, small.params().get(i).name() + " max " + max + " bound " + bound);
        }
    }

    @Test
    void encodingInterleavesSinAndCosPerLevel() {
        double[] e = Nerv.encode(TINY, new int[][] {{3}}, DType.F64).toDoubleArray(); // t = 1
        assertArrayEquals(new double[] {0, -1, Math.sin(1.25 * Math.PI), Math.cos(1.25 * Math.PI),
                Math.sin(1.5625 * Math.PI), Math.cos(1.5625 * Math.PI)}, e, 1e-12);
        assertEquals(1.0 / 3, Nerv.frameTime(TINY, 1), 1e-15);
    }

    @Test
    void framesHaveTheSelectedShapeAndLieInZeroOne() {
        Params p = Nerv.init(TINY, 1, DType.F64).perSignal(2);
        Tensor all = Nerv.forward(TINY, p, null);
        Tensor some = Nerv.forward(TINY, p, new int[][] {{0, 3}, {2, 1}});
        assertArrayEquals(new int[] {2, 4, 3, 8, 8}, all.shape().dims());
        assertArrayEquals(new int[] {2, 2, 3, 8, 8}, some.shape().dims());
        for (double v : all.toDoubleArray()) {
            assertTrue(v > 0 && v < 1, "output " + v);
        }
        double[] a = all.toDoubleArray();
        double[] s = some.toDoubleArray();
        int frame = 3 * 64;
        assertEquals(a[3 * frame + 5], s[frame + 5], 1e-15); // signal 0, selected frame 1 is frame 3
    }

    @Test
    void smallConfigRenders128PixelFrames() {
        Tensor y = Nerv.forward(NervSpec.small(2), Nerv.init(NervSpec.small(2), 3, DType.F32).perSignal(1), null);
        assertArrayEquals(new int[] {1, 2, 3, 128, 128}, y.shape().dims());
    }

    @Test
    void sharedParamsAreRejectedWithAHint() {
        Params shared = Nerv.init(TINY, 1, DType.F64);
        var e = assertThrows(IllegalArgumentException.class, () -> Nerv.forward(TINY, shared, null));
        assertTrue(e.getMessage().contains("Params.perSignal"), e.getMessage());
    }

    @Test
    void frameLossGradientMatchesFiniteDifferencesToSecondOrder() {
        List<int[]> shapes = perSignalShapes(TINY, 2);
        List<double[]> values = perSignalValues(TINY, 2, 11);
        Tensor video = randomVideo(TINY, 2, 12);
        int[][] frames = {{0, 2}, {3, 1}};
        GradCheck.Fn loss = ts -> Nerv.forward(TINY, new Params(ts), frames).sub(
                video.reshape(2, 4, -1).gather(frames).reshape(2, 2, 3, 8, 8)).square().mean();
        double first = GradCheck.relativeError(loss, values, shapes, 1, 5);
        double second = GradCheck.relativeError(loss, values, shapes, 2, 6);
        System.out.printf("NeRV gradcheck rel err: first %.2e, second %.2e%n", first, second);
        assertTrue(first < 1e-6, "first-order rel err " + first);
        assertTrue(second < 1e-6, "second-order rel err " + second);
    }

    /** Per-signal values: signal b holds its own init (seed + b), so the copies differ. */
    static List<double[]> perSignalValues(NervSpec spec, int batch, long seed) {
        List<double[]> out = new ArrayList<>();
        List<Params> inits = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            inits.add(Nerv.init(spec, seed + b, DType.F64));
        }
        for (int i = 0; i < spec.params().size(); i++) {
            int n = spec.params().get(i).size();
            double[] v = new double[batch * n];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(inits.get(b).get(i).toDoubleArray(), 0, v, b * n, n);
            }
            out.add(v);
        }
        return out;
    }

    static List<int[]> perSignalShapes(NervSpec spec, int batch) {
        List<int[]> out = new ArrayList<>();
        for (ParamSpec p : spec.params()) {
            int[] s = new int[p.shape().length + 1];
            s[0] = batch;
            System.arraycopy(p.shape(), 0, s, 1, p.shape().length);
            out.add(s);
        }
        return out;
    }

    static Tensor randomVideo(NervSpec spec, int batch, long seed) {
        int r = spec.resolution();
        return Tensor.uniform(DType.F64, new SplittableRandom(seed), 0, 1, batch, spec.timesteps(), 3, r, r);
    }
}
