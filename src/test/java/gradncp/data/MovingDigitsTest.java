package gradncp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class MovingDigitsTest {
    @Test
    void deterministicForASeedAndDifferentAcrossSeeds() {
        VideoSet a = MovingDigits.generate(3, 10, 64, 42, null);
        VideoSet b = MovingDigits.generate(3, 10, 64, 42, null);
        VideoSet c = MovingDigits.generate(3, 10, 64, 43, null);
        assertEquals(64, a.height());
        assertEquals(1, a.channels());
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(a.clip(i), b.clip(i), 0f);
            assertFalse(Arrays.equals(a.clip(i), c.clip(i)), "seeds 42 and 43 gave the same video " + i);
        }
        assertFalse(Arrays.equals(a.frame(0, 0), a.frame(0, 9)), "the digits do not move");
    }

    @Test
    void digitsStayInsideTheCanvas() {
        for (long s = 0; s < 200; s++) {
            int size = s % 2 == 0 ? 64 : 33;
            int[][] pos = MovingDigits.trajectory(new Random(s), 50, size);
            for (int[] p : pos) {
                for (int v : p) assertTrue(v >= 0 && v <= size - MovingDigits.ITEM, "seed " + s + ": " + Arrays.toString(p));
            }
        }
        // every frame shows at least one whole glyph: its mass is never lost at an edge
        double minGlyph = Double.MAX_VALUE;
        for (float[] g : MovingDigits.glyphs()) minGlyph = Math.min(minGlyph, sum(g, 0, g.length));
        assertTrue(minGlyph > 20, "glyphs are nearly empty: " + minGlyph);
        VideoSet v = MovingDigits.generate(4, 30, 40, 7, null);
        for (int i = 0; i < v.size(); i++) {
            for (int t = 0; t < v.frames(); t++) {
                assertTrue(sum(v.clip(i), t * 1600, (t + 1) * 1600) >= minGlyph - 1e-3, "clip " + i + " frame " + t);
            }
        }
    }

    private static double sum(float[] x, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) s += x[i];
        return s;
    }

    @Test
    void fashionMnistItemsFromIdx() throws IOException {
        Path idx = ImagesTest.sharedData().resolve("fashion-mnist/t10k-images-idx3-ubyte.gz");
        Assumptions.assumeTrue(Files.isRegularFile(idx), "shared data not found at " + idx);
        ImageSet items = Idx.readImages(idx, 0, 20);
        VideoSet v = MovingDigits.generate(2, 8, 64, 1, items);
        assertEquals(2, v.size());
        assertEquals(8 * 64 * 64, v.clip(0).length);
        assertArrayEquals(v.clip(1), MovingDigits.generate(2, 8, 64, 1, items).clip(1), 0f);
        float max = 0;
        for (float x : v.clip(0)) max = Math.max(max, x);
        assertTrue(max > 0.5f);
    }
}
