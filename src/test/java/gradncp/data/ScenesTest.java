package gradncp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built-in cars, camera rays, and the Blender-layout reader with its one-line errors. */
class ScenesTest {
    @TempDir
    Path tmp;

    @Test
    void carsAreSeededAndVaried() {
        List<Scene> a = ToyCars.generate(2, 3, 12, 5);
        List<Scene> b = ToyCars.generate(2, 3, 12, 5);
        assertArrayEquals(a.get(1).rgba()[2], b.get(1).rgba()[2]);
        assertFalse(java.util.Arrays.equals(a.get(0).rgba()[0], a.get(1).rgba()[0]), "two cars should differ");
        float[] v = a.get(0).rgba()[0];
        double covered = 0;
        for (int p = 3; p < v.length; p += 4) {
            covered += v[p];
        }
        covered /= v.length / 4.0;
        assertTrue(covered > 0.05 && covered < 0.8, "the car should cover part of the view, covers " + covered);
        assertTrue(a.get(0).sameCameras(a.get(1)), "built-in scenes share their cameras");
    }

    /** The mean direction of the four central pixels' rays points from the camera at the origin. */
    @Test
    void centralRaysPointAtTheOrigin() {
        double[] c2w = Scene.lookAtOrigin(0.7, 0.4, 3.0);
        double[] r = Scene.rays(c2w, 4, 4, 10, 1, 5);
        double[] d = new double[3];
        double[] o = java.util.Arrays.copyOfRange(r, 0, 3);
        for (int p : new int[] {5, 6, 9, 10}) {
            for (int a = 0; a < 3; a++) {
                d[a] += r[8 * p + 3 + a];
            }
        }
        assertEquals(3.0, Math.sqrt(o[0] * o[0] + o[1] * o[1] + o[2] * o[2]), 1e-12);
        double[] cross = {d[1] * o[2] - d[2] * o[1], d[2] * o[0] - d[0] * o[2], d[0] * o[1] - d[1] * o[0]};
        assertArrayEquals(new double[] {0, 0, 0}, cross, 1e-12);
        assertTrue(d[0] * o[0] + d[1] * o[1] + d[2] * o[2] < 0, "the camera looks towards the origin");
        // the right half of the image is on the camera's right (+x column of c2w)
        assertTrue(r[8 * 6 + 3] * c2w[0] + r[8 * 6 + 4] * c2w[4] + r[8 * 6 + 5] * c2w[8] > 0);
        assertThrows(IllegalArgumentException.class, () -> Scene.checkCamera("cam", new double[] {
            1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1}));
    }

    private void png(Path file, int w, int h, boolean alpha) throws IOException {
        BufferedImage img = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((x < w / 2 ? 255 : 0) << 24) | (200 << 16) | (40 << 8) | 10);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(img, "png", file.toFile());
    }

    private static String frame(String path, String matrix) {
        return "{\"file_path\": \"" + path + "\", \"transform_matrix\": " + matrix + "}";
    }

    static final String EYE = "[[1,0,0,0],[0,1,0,0],[0,0,1,4],[0,0,0,1]]";

    private Path scene(String name, String json) throws IOException {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("transforms_train.json"), json);
        return dir;
    }

    @Test
    void readsTheBlenderLayoutAsAMetaDataset() throws IOException {
        for (String s : new String[] {"a", "b"}) {
            png(tmp.resolve("set/" + s + "/train/r_0.png"), 8, 8, true);
            png(tmp.resolve("set/" + s + "/train/r_1.png"), 8, 8, true);
            Files.writeString(tmp.resolve("set/" + s + "/transforms_train.json"), "{\"camera_angle_x\": 0.69,"
                    + " \"frames\": [" + frame("./train/r_0", EYE) + ", " + frame("./train/r_1", EYE) + "]}");
        }
        List<Scene> scenes = BlenderScenes.load(tmp.resolve("set"), 4, true);
        assertEquals(2, scenes.size());
        Scene s = scenes.get(0);
        assertEquals(2, s.views());
        assertEquals(0.5 * 4 / Math.tan(0.345), s.focal(), 1e-12);
        assertEquals(4.0, s.rays(0)[2], 0);
        float[] white = s.colours(0, true);
        assertEquals(1.0, white[3 * 3], 1e-6); // right half transparent -> white
        assertEquals(200 / 255.0, white[0], 1e-2); // left half opaque colour
        SceneSignals set = SceneSignals.all(scenes, 1, true);
        assertEquals(4 * 4, set.inputs().points());
        assertEquals(4 * 4, set.heldOut().points());
    }

    private static void failsWith(Path dir, String fragment, boolean white) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BlenderScenes.load(dir, 4, white));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    @Test
    void badInputFailsWithOneLine() throws IOException {
        failsWith(scene("json", "{\"camera_angle_x\": 0.69, \"frames\": [ {"), "malformed JSON", true);

        Path sizes = scene("sizes", "{\"camera_angle_x\": 0.69, \"frames\": [" + frame("a", EYE) + ", "
                + frame("b", EYE) + "]}");
        png(sizes.resolve("a.png"), 8, 8, true);
        png(sizes.resolve("b.png"), 6, 8, true);
        failsWith(sizes, "one size", true);

        Path cam = scene("cam", "{\"camera_angle_x\": 0.69, \"frames\": [" + frame("a",
                "[[1,0,0,0],[0,0,0,0],[0,0,1,4],[0,0,0,1]]") + "]}");
        png(cam.resolve("a.png"), 8, 8, true);
        failsWith(cam, "not invertible", true);

        Path alpha = scene("alpha", "{\"camera_angle_x\": 0.69, \"frames\": [" + frame("a", EYE) + "]}");
        png(alpha.resolve("a.png"), 8, 8, false);
        failsWith(alpha, "no alpha", true);
        assertEquals(1, BlenderScenes.load(alpha, 4, false).size(), "a black background needs no alpha");
    }

    /** A built-in car written in the Blender layout reads back with the same rays and colours (8-bit). */
    @Test
    void builtInCarsRoundTripThroughTheBlenderLayout() throws IOException {
        Scene car = ToyCars.generate(1, 2, 10, 4).get(0);
        BlenderScenes.write(car, tmp.resolve("car"));
        Scene back = BlenderScenes.load(tmp.resolve("car"), 10, true).get(0);
        assertArrayEquals(car.rays(1), back.rays(1), 1e-9);
        assertArrayEquals(car.colours(1, true), back.colours(1, true), 1f / 255);
        assertThrows(IOException.class, () -> BlenderScenes.write(car, tmp.resolve("car")));
    }
}
