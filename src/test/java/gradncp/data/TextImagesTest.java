package gradncp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TextImagesTest {
    @Test
    void sameSeedSameImagesAndPrefixStable() {
        ImageSet a = TextImages.generate(6, 32, 11);
        ImageSet b = TextImages.generate(3, 32, 11);
        for (int i = 0; i < 3; i++) assertArrayEquals(a.image(i), b.image(i));
        assertFalse(Arrays.equals(a.image(0), TextImages.generate(1, 32, 12).image(0)));
        assertEquals("true", System.getProperty("java.awt.headless"));
    }

    @Test
    void imagesHaveTextOnAPlainBackground() {
        for (int r : new int[] {64, 178}) {
            ImageSet set = TextImages.generate(8, r, 3);
            assertEquals(3, set.channels());
            for (float[] img : set.images()) {
                for (float v : img) assertTrue(v >= 0 && v <= 1);
                // the background is the top-left... or any pixel matching most pixels; count others
                int differs = 0;
                float[] bg = majorityColour(img);
                for (int i = 0; i < img.length / 3; i++) {
                    if (Math.abs(img[3 * i] - bg[0]) + Math.abs(img[3 * i + 1] - bg[1])
                            + Math.abs(img[3 * i + 2] - bg[2]) > 0.05) differs++;
                }
                double inked = differs / (double) (r * r);
                assertTrue(inked > 0.005 && inked < 0.7, "R=" + r + " inked fraction " + inked);
            }
        }
    }

    @Test
    void fontsIncludeLogicalFallbacks() {
        var names = TextImages.fonts().stream().map(f -> f.getName()).toList();
        assertTrue(names.contains("Serif") && names.contains("Monospaced"), names.toString());
    }

    @Test
    void tooSmallResolutionIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> TextImages.generate(1, 4, 0));
        assertTrue(e.getMessage().contains("resolution must be >= 8"));
    }

    private static float[] majorityColour(float[] img) {
        var counts = new java.util.HashMap<Long, Integer>();
        long best = 0;
        int bestCount = 0;
        for (int i = 0; i < img.length / 3; i++) {
            long key = Math.round(img[3 * i] * 255) << 16 | Math.round(img[3 * i + 1] * 255) << 8
                    | Math.round(img[3 * i + 2] * 255);
            int c = counts.merge(key, 1, Integer::sum);
            if (c > bestCount) { bestCount = c; best = key; }
        }
        return new float[] {(best >> 16) / 255f, ((best >> 8) & 255) / 255f, (best & 255) / 255f};
    }
}
