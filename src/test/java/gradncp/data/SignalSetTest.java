package gradncp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.tensor.DType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SignalSet view of each modality: grid shapes, coordinates, metrics, writers, splits. */
class SignalSetTest {
    @Test
    void imageCoordsAreTheStandardGrid() {
        ImageSet imgs = TextImages.generate(3, 8, 1);
        SignalSet s = new ImageSignals(imgs);
        assertEquals(2, s.inDim());
        assertArrayEquals(Grid.image(8, 8, DType.F64).toDoubleArray(), s.coords());
        assertEquals(64, s.resampled(8).points());
        assertEquals(0, s.resampled(8).size());
    }

    @Test
    void audioIsOneDimensionalAndResamplesByRate() {
        SignalSet s = new AudioSignals(AudioSignals.tones(2, 1000, 0.5, 3));
        assertEquals(500, s.points());
        assertEquals(-50.0, s.coords()[0]);
        assertEquals(50.0, s.coords()[499], 1e-12);
        assertEquals(250, s.resampled(500).points());
        assertTrue(Double.isNaN(s.ssim(s.values(0), s.values(0))) && !s.hasSsim());
        for (float v : s.values(1)) assertTrue(v >= 0.25f && v <= 0.75f);
    }

    @Test
    void videoSsimIsPerFrameAndPerfectOnItself() {
        VideoSet v = MovingDigits.generate(2, 3, 28, 5, null);
        SignalSet s = new VideoSignals(v);
        assertEquals(3, s.inDim());
        assertEquals(3 * 28 * 28, s.points());
        assertEquals(1.0, s.ssim(s.values(0), s.values(0)), 1e-9);
        assertTrue(s.ssim(s.values(0), s.values(1)) < 0.99);
        assertEquals(3, new VideoSignals(VideoSignals.toRgb(v)).channels());
    }

    @Test
    void sphereWritesPhysicalUnitsAndStoresItsRange(@TempDir Path dir) throws Exception {
        double[] lat = {-45, 45}, lon = {0, 90, 180, 270};
        float[] f = {0, 0.25f, 0.5f, 1, 0.75f, 0.5f, 0.25f, 0};
        SphereSet set = new SphereSet(new float[][] {f}, 2, 4, lat, lon, SphereGrid.coords(lat, lon), -10, 30, null,
                List.of("x"));
        SphereSignals s = new SphereSignals(set);
        s.write(dir, "out", f);
        Npy.Array a = Npy.read(dir.resolve("out.npy"));
        assertArrayEquals(new int[] {2, 4}, a.shape());
        assertEquals(30f, a.data()[3], 1e-5);
        assertEquals(-10f, a.data()[0], 1e-5);
        assertArrayEquals(new double[] {-10, 30}, SphereSignals.rangeOf(s.metadata()));
        SignalSet g = s.resampled(6);
        assertEquals(6 * 12, g.points());
        double[] c = g.coords();
        for (int i = 0; i < g.points(); i++) {
            assertEquals(1.0, c[3 * i] * c[3 * i] + c[3 * i + 1] * c[3 * i + 1] + c[3 * i + 2] * c[3 * i + 2], 1e-12);
        }
    }

    @Test
    void splitIsDisjointAndSeeded() {
        SignalSet all = new AudioSignals(AudioSignals.tones(10, 100, 0.1, 1));
        SignalSet[] p = SignalSet.split(all, 3, 7);
        assertEquals(3, p[0].size());
        assertEquals(7, p[1].size());
        List<String> names = IntStream.range(0, 10).mapToObj(i -> i < 3 ? p[0].names().get(i) : p[1].names().get(i - 3))
                .sorted().toList();
        assertEquals(all.names().stream().sorted().toList(), names);
        assertEquals(p[0].names(), SignalSet.split(all, 3, 7)[0].names());
        assertThrows(IllegalArgumentException.class, () -> SignalSet.split(all, 10, 7));
        assertTrue(Arrays.equals(all.values(0), all.head(1).values(0)));
    }
}
