package gradncp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in glyph classes: hundreds of them from the machine's fonts, seeded, varied, and a clear error without fonts. */
class GlyphsTest {
    @Test
    void hundredsOfSeededVariedClasses() {
        Glyphs g = Glyphs.create(16, 3);
        assertTrue(g.classes() >= Glyphs.MIN_CLASSES, g.describe());
        float[] a = g.image(5, 0);
        assertArrayEquals(a, Glyphs.create(16, 3).image(5, 0), 0f, "the same seed draws the same example");
        assertFalse(Arrays.equals(a, g.image(5, 1)), "two examples of a class differ (distortion and noise)");
        assertFalse(Arrays.equals(a, g.image(6, 0)), "two classes differ");
        double ink = 0;
        for (float v : a) {
            assertTrue(v >= 0 && v <= 1);
            ink += v;
        }
        assertTrue(ink > 3 && ink < 0.8 * a.length, "a glyph is some ink on a dark background, ink " + ink);
    }

    @Test
    void tooFewRenderableCharactersIsAClearError() {
        var e = assertThrows(IllegalStateException.class, () -> Glyphs.create(16, 0, List.of()));
        assertTrue(e.getMessage().contains("only 0 distinct characters") && e.getMessage().contains("fonts-dejavu"),
                e.getMessage());
    }
}
