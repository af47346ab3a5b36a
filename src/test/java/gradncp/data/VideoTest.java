package gradncp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VideoTest {
    @TempDir Path dir;

    static VideoSet randomVideo(int t, int h, int w, int c, long seed) {
        Random rng = new Random(seed);
        float[] v = new float[t * h * w * c];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextInt(256) / 255f;
        return new VideoSet(new float[][] {v}, t, h, w, c, List.of("random"));
    }

    @Test
    void frameFolderAndGifRoundTrip() throws IOException {
        VideoSet grey = randomVideo(5, 6, 7, 1, 1);
        Video.writePngFrames(dir.resolve("grey"), grey, 0);
        VideoSet back = Video.loadFrameFolder(dir.resolve("grey"), 0, 1);
        assertEquals(5, back.frames());
        assertArrayEquals(grey.clip(0), back.clip(0), 1e-7f);
        Video.writeGif(dir.resolve("grey.gif"), grey, 0, 40);
        assertArrayEquals(grey.clip(0), Video.readGif(dir.resolve("grey.gif"), 0, 1).clip(0), 1e-7f);

        VideoSet rgb = randomVideo(3, 8, 8, 3, 2);
        Video.writePngFrames(dir.resolve("rgb"), rgb, 0);
        assertArrayEquals(rgb.clip(0), Video.loadFrameFolder(dir.resolve("rgb"), 0, 3).clip(0), 1e-7f);
        Video.writeGif(dir.resolve("rgb.gif"), rgb, 0, 40);
        VideoSet g = Video.readGif(dir.resolve("rgb.gif"), 0, 3);
        assertEquals(3, g.frames());
        assertArrayEquals(rgb.clip(0), g.clip(0), 0.101f); // 6x7x6 palette: half a step at most
        VideoSet small = Video.loadFrameFolder(dir.resolve("rgb"), 4, 3);
        assertEquals(4, small.height());
        assertEquals(4, small.width());
    }

    @Test
    void framesOfDifferentSizesAreRejectedByName() throws IOException {
        Images.writePng(dir.resolve("seq/f1.png"), new float[16], 4, 4, 1);
        Images.writePng(dir.resolve("seq/f2.png"), new float[16], 4, 4, 1);
        Images.writePng(dir.resolve("seq/f3.png"), new float[20], 4, 5, 1);
        var e = assertThrows(IOException.class, () -> Video.loadFrameFolder(dir.resolve("seq"), 0, 1));
        assertTrue(e.getMessage().contains("f3.png") && e.getMessage().contains("5x4"), e.getMessage());
    }

    @Test
    void gifFramesAreComposedForDisposalMethods() throws IOException {
        BufferedImage full = Gif.indexed(filled(4, 4, 0.5f), 4, 4, 1);
        BufferedImage patch = Gif.indexed(filled(2, 2, 1f), 2, 2, 1);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        Path file = dir.resolve("composed.gif");
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            Gif.writeFrame(writer, full, 0, 0, 5, "none", true);
            Gif.writeFrame(writer, patch, 1, 1, 5, "restoreToBackgroundColor", false);
            Gif.writeFrame(writer, patch, 2, 0, 5, "none", false);
            writer.endWriteSequence();
        }
        VideoSet v = Video.readGif(file, 0, 1);
        assertEquals(3, v.frames());
        assertEquals(4, v.height());
        float h = 128 / 255f;
        assertArrayEquals(new float[] {h, h, h, h, h, 1, 1, h, h, 1, 1, h, h, h, h, h}, v.frame(0, 1), 1e-6f);
        // the patch of frame 1 was cleared (transparent -> black), frame 2's patch drawn on top
        assertArrayEquals(new float[] {h, h, 1, 1, h, 0, 1, 1, h, 0, 0, h, h, h, h, h}, v.frame(0, 2), 1e-6f);
    }

    private static float[] filled(int h, int w, float v) {
        float[] f = new float[h * w];
        java.util.Arrays.fill(f, v);
        return f;
    }

    @Test
    void sequencesSplitIntoClipsAndCoordinatesAreRowMajor() throws IOException {
        VideoSet seq = randomVideo(10, 2, 3, 1, 3);
        VideoSet c = Video.clips(seq, 4, 3);
        assertEquals(3, c.size()); // starts 0, 3, 6
        assertArrayEquals(seq.frame(0, 6), c.frame(1, 3), 0f);
        assertThrows(IllegalArgumentException.class, () -> Video.clips(seq, 11, 1));
        double[] xyz = Video.videoCoords(2, 3, 4);
        int p = (1 * 3 + 2) * 4 + 1; // t=1, h=2, w=1
        assertArrayEquals(new double[] {1, 1, -1 + 2.0 / 3}, java.util.Arrays.copyOfRange(xyz, 3 * p, 3 * p + 3), 1e-15);

        Video.writePngFrames(dir.resolve("ds/a"), seq, 0);
        Video.writeGif(dir.resolve("ds/b.gif"), randomVideo(8, 2, 3, 1, 4), 0, 10);
        VideoSet ds = Video.loadDataset(dir.resolve("ds"), 0, 1, 4, 4);
        assertEquals(2 + 2, ds.size());
        assertTrue(ds.names().get(3).contains("b.gif"), ds.names().toString());
    }

    @Test
    void mire2LoadsAsClipsOf16() throws IOException {
        Path mire = ImagesTest.sharedData().resolve("video/mire2");
        Assumptions.assumeTrue(Files.isDirectory(mire), "shared data not found at " + mire);
        VideoSet seq = Video.loadFrameFolder(mire, 64, 1);
        assertEquals(64, seq.frames());
        VideoSet clips = Video.clips(seq, 16, 16);
        assertEquals(4, clips.size());
        assertEquals(64 * 64 * 16, clips.points());
        Video.writeGif(dir.resolve("mire.gif"), clips, 0, 100);
        assertArrayEquals(clips.clip(0), Video.readGif(dir.resolve("mire.gif"), 0, 1).clip(0), 0.5f / 255 + 1e-6f);
    }
}
