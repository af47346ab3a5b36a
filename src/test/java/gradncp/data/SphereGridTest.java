package gradncp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.data.SphereGrid.NanPolicy;
import gradncp.data.SphereGrid.Options;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SphereGridTest {
    @TempDir Path dir;

    static Path sphere(String name) {
        Path p = ImagesTest.sharedData().resolve("sphere/" + name);
        Assumptions.assumeTrue(Files.isDirectory(p), "shared data not found at " + p);
        return p;
    }

    @Test
    void embeddingIsOnTheUnitSphere() {
        assertArrayEquals(new double[] {0, 0, 1}, SphereGrid.sample(90, 123), 1e-15);
        assertArrayEquals(new double[] {0, 1, 0}, SphereGrid.sample(0, 90), 1e-15);
        assertArrayEquals(SphereGrid.sample(10, 20), SphereGrid.sample(10, 380), 1e-12);
        double[] c = SphereGrid.coords(new double[] {-30, 45}, new double[] {0, 100, 200});
        assertEquals(18, c.length);
        assertArrayEquals(SphereGrid.sample(45, 100), java.util.Arrays.copyOfRange(c, 12, 15), 0);
    }

    @Test
    void navyWindsLoadNormaliseAndInvert() throws IOException {
        Path navy = sphere("navy_uwnd_1980");
        SphereSet set = SphereGrid.loadFolder(navy, Options.DEFAULT);
        assertEquals(12, set.size());
        assertEquals(73, set.rows());
        assertEquals(144, set.cols());
        assertNull(set.masks());
        for (int p = 0; p < set.points(); p++) {
            double x = set.coords()[3 * p], y = set.coords()[3 * p + 1], z = set.coords()[3 * p + 2];
            assertEquals(1.0, Math.sqrt(x * x + y * y + z * z), 1e-12);
        }
        float[] raw = Npy.read(navy.resolve("uwnd_m07.npy")).data();
        float lo = 1, hi = 0;
        for (int p = 0; p < raw.length; p++) {
            float v = set.field(6)[p];
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
            assertEquals(raw[p], set.denormalise(v), 1e-6 * (set.max() - set.min()));
            assertEquals(v, set.normalise(raw[p]), 1e-7);
        }
        assertTrue(lo >= 0 && hi <= 1, lo + ".." + hi);
        assertTrue(set.min() < -15 && set.max() > 15, set.toString());
        SphereSet fixed = SphereGrid.loadFolder(navy, new Options(NanPolicy.REJECT, new double[] {-20, 20}));
        assertEquals((raw[5] + 20) / 40, fixed.field(6)[5], 1e-7);
    }

    @Test
    void coadsNanIsRejectedByDefaultAndMaskedOnRequest() throws IOException {
        Path coads = sphere("coads_airt");
        var e = assertThrows(IOException.class, () -> SphereGrid.loadFolder(coads, Options.DEFAULT));
        assertTrue(e.getMessage().contains("airt_m01.npy") && e.getMessage().contains("NaN")
                && e.getMessage().matches("(?s).* has \\d+ NaN.*"), e.getMessage());
        SphereSet set = SphereGrid.loadFolder(coads, new Options(NanPolicy.MASK, null));
        assertEquals(12, set.size());
        float[] raw = Npy.read(coads.resolve("airt_m01.npy")).data();
        int valid = 0;
        for (int p = 0; p < raw.length; p++) {
            assertEquals(!Float.isNaN(raw[p]), set.masks()[0][p]);
            valid += set.masks()[0][p] ? 1 : 0;
        }
        assertTrue(valid > 0.4 * raw.length && valid < 0.7 * raw.length, valid + " valid of " + raw.length);
        float[] v = set.validValues(0);
        assertEquals(valid, v.length);
        assertEquals(3 * valid, set.validCoords(0).length);
        for (float x : v) assertTrue(x >= 0 && x <= 1, "value " + x);
        SphereSet filled = SphereGrid.loadFolder(coads, new Options(NanPolicy.FILL_MEAN, null));
        for (float x : filled.field(0)) assertTrue(!Float.isNaN(x));
    }

    @Test
    void equirectangularPngHasTheRightSize() throws IOException {
        double[] lat = {-45, 45}, lon = {0, 90, 180, 270};
        float[] values = {0, 0.25f, 0.5f, 0.75f, 1, 1, 1, Float.NaN};
        Equirect.writeGrid(dir.resolve("g.png"), 80, 40, values, lat, lon, 0, 1);
        BufferedImage img = ImageIO.read(dir.resolve("g.png").toFile());
        assertEquals(80, img.getWidth());
        assertEquals(40, img.getHeight());
        assertEquals(0xfde725, img.getRGB(41, 5) & 0xffffff); // north, lon ~0 -> value 1 (yellow)
        assertEquals(0x440154, img.getRGB(41, 35) & 0xffffff); // south, lon ~0 -> value 0 (purple)
        assertEquals(0x808080, img.getRGB(21, 5) & 0xffffff); // north, lon ~-90 = 270 -> NaN grey
        Equirect.writeFunction(dir.resolve("f.png"), 36, 18, (la, lo) -> la, -90, 90);
        assertEquals(36, ImageIO.read(dir.resolve("f.png").toFile()).getWidth());
        Path navy = ImagesTest.sharedData().resolve("sphere/navy_uwnd_1980");
        if (Files.isDirectory(navy)) {
            SphereSet set = SphereGrid.loadFolder(navy, Options.DEFAULT);
            Equirect.writeField(dir.resolve("navy.png"), set, 0, 288, 144);
            assertEquals(144, ImageIO.read(dir.resolve("navy.png").toFile()).getHeight());
        }
    }
}
