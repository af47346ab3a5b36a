package gradncp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.data.Images.FolderOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {
    @TempDir Path dir;

    static Path sharedData() {
        return Path.of(System.getProperty("gradncp.data", "../shared/data"));
    }

    private Path resource(String name, Path to) throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/golden/resize/" + name)) {
            Files.createDirectories(to.getParent());
            Files.copy(in, to);
        }
        return to;
    }

    @Test
    void folderLoaderMatchesPilBilinear() throws IOException {
        resource("source.png", dir.resolve("src/source.png"));
        for (int r : new int[] {16, 48}) {
            ImageSet set = Images.loadFolder(dir.resolve("src"), r, 3, FolderOptions.DEFAULT);
            float[] pil = Images.read(resource("pil_" + r + ".png", dir.resolve("pil_" + r + ".png")), 3).pixels();
            double maxDiff = 0;
            for (int i = 0; i < pil.length; i++) maxDiff = Math.max(maxDiff, Math.abs(pil[i] - set.image(0)[i]));
            assertTrue(maxDiff <= 1.01 / 255, "R=" + r + " max diff " + maxDiff * 255 + " grey levels");
        }
    }

    @Test
    void pngRoundTripClampsAndRounds() throws IOException {
        float[] rgb = {0f, 0.5f, 1f, -0.3f, 1.7f, 0.25f};
        Images.writePng(dir.resolve("x.png"), rgb, 1, 2, 3);
        assertArrayEquals(new float[] {0f, 128 / 255f, 1f, 0f, 1f, 64 / 255f},
                Images.read(dir.resolve("x.png"), 3).pixels(), 1e-7f);
        float[] grey = {0.2f, 0.9f};
        Images.writePng(dir.resolve("g.png"), grey, 2, 1, 1);
        assertArrayEquals(new float[] {51 / 255f, 230 / 255f}, Images.read(dir.resolve("g.png"), 1).pixels(), 1e-7f);
    }

    @Test
    void folderIsRecursiveSortedAndGreyOptionWorks() throws IOException {
        Images.writePng(dir.resolve("b.png"), new float[] {1, 1, 1, 1}, 2, 2, 1);
        Images.writePng(dir.resolve("a/z.png"), new float[] {0, 0, 0, 0}, 2, 2, 1);
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        ImageSet set = Images.loadFolder(dir, 4, 1, FolderOptions.DEFAULT);
        assertEquals(2, set.size());
        assertTrue(set.names().get(0).endsWith("z.png"), set.names().toString());
        assertEquals(0f, set.image(0)[5]);
        assertEquals(1f, set.image(1)[15], 1e-6f);
    }

    @Test
    void badAndTooSmallFilesFailOrAreSkipped() throws IOException {
        Images.writePng(dir.resolve("good.png"), new float[16 * 16 * 3], 16, 16, 3);
        Files.writeString(dir.resolve("broken.png"), "not an image");
        var e = assertThrows(IOException.class, () -> Images.loadFolder(dir, 8, 3, FolderOptions.DEFAULT));
        assertTrue(e.getMessage().contains("broken.png") && e.getMessage().contains("--skip-bad"), e.getMessage());
        try (gradncp.LogCapture log = gradncp.LogCapture.of(Images.class)) {
            assertEquals(1, Images.loadFolder(dir, 8, 3, new FolderOptions(0, true, 0)).size());
            assertEquals(1, log.messages().size(), log.messages().toString());
            assertTrue(log.messages().get(0).startsWith("WARNING: skipping ") && log.messages().get(0)
                    .contains("broken.png"), log.messages().toString());
        }
        Files.delete(dir.resolve("broken.png"));
        e = assertThrows(IOException.class, () -> Images.loadFolder(dir, 8, 3, new FolderOptions(32, false, 0)));
        assertTrue(e.getMessage().contains("image too small: ") && e.getMessage().contains("good.png"), e.getMessage());
    }

    @Test
    void alphaIsDroppedWithANotice() throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(4, 4,
                java.awt.image.BufferedImage.TYPE_INT_ARGB);
        img.setRGB(1, 1, 0x80FF0000); // half-transparent red
        javax.imageio.ImageIO.write(img, "png", dir.resolve("rgba.png").toFile());
        Images.Image read = Images.read(dir.resolve("rgba.png"), 3);
        assertTrue(read.alphaDropped());
        assertEquals(1f, read.pixels()[(4 + 1) * 3], 1e-6f); // the colour as stored
        try (gradncp.LogCapture log = gradncp.LogCapture.of(Images.class)) {
            Images.loadFolder(dir, 4, 3, FolderOptions.DEFAULT);
            assertEquals(List.of("WARNING: 1 of 1 images under " + dir + " have an alpha channel; it is dropped"
                    + " (colours are used as stored)"), log.messages());
        }
    }

    @Test
    void missingOrEmptyFolderIsReported() throws IOException {
        var e = assertThrows(IOException.class, () -> Images.loadFolder(dir.resolve("nope"), 8, 3, FolderOptions.DEFAULT));
        assertTrue(e.getMessage().startsWith("image folder not found: "), e.getMessage());
        e = assertThrows(IOException.class, () -> Images.loadFolder(dir, 8, 3, FolderOptions.DEFAULT));
        assertTrue(e.getMessage().startsWith("no PNG/JPEG files under "), e.getMessage());
    }

    @Test
    void downscaleIsAntialiasedAndCropIsCentred() {
        float[] checker = new float[8 * 8];
        for (int i = 0; i < 64; i++) checker[i] = ((i / 8) + (i % 8)) % 2;
        float[] half = Resize.resize(checker, 8, 8, 1, 4, 4);
        assertEquals(0.5f, half[5], 1e-6f); // interior pixel: an average, not a sample
        float[] wide = new float[2 * 4]; // 2x4 grey, columns 0..3
        for (int i = 0; i < wide.length; i++) wide[i] = i % 4;
        assertArrayEquals(new float[] {1, 2, 1, 2}, Resize.centreCropSquare(wide, 2, 4, 1));
    }

    @Test
    void sharedPhotos64LoadUnchangedAtNativeSize() throws IOException {
        Path train = sharedData().resolve("photos64/train");
        Assumptions.assumeTrue(Files.isDirectory(train), "shared data not present: " + train);
        ImageSet set = Images.loadFolder(train, 64, 3, FolderOptions.DEFAULT);
        assertEquals(400, set.size());
        List<Path> files = Images.listImageFiles(train);
        assertArrayEquals(Images.read(files.get(7), 3).pixels(), set.image(7));
    }
}
