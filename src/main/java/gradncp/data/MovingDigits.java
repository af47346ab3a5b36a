package gradncp.data;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.GlyphVector;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A built-in "moving digits" video set in the style of Moving MNIST (Srivastava et al., ICML
 * 2015): {@value #DIGITS} items of {@value #ITEM} x {@value #ITEM} pixels bounce inside a
 * {@code size} x {@code size} grey canvas for T frames. It gives a small video benchmark that
 * needs no download.
 *
 * <p>Items come from an {@link ImageSet} (e.g. Fashion-MNIST read with {@link Idx}; resized to
 * 28 x 28 if needed, RGB converted to grey by luma), or, when none is given, from digits '0'-'9'
 * rendered with the JDK's logical SansSerif bold font (white on black, centred), so it works
 * without any file. Each item starts at a random integer position with a random direction and a
 * speed of 2-4 pixels per frame; when its next step would leave the canvas the velocity component
 * is reversed (a bounce), so items always stay fully inside. Overlaps combine by maximum, as in
 * the Moving MNIST generator. Video i depends only on (seed, i) through {@link Seeds}; output is
 * deterministic on a given machine (another machine's font rasteriser may differ slightly).
 */
public final class MovingDigits {
    /** Side of one item in pixels. */
    public static final int ITEM = 28;
    /** Items per video. */
    public static final int DIGITS = 2;

    private static volatile float[][] glyphs;

    private MovingDigits() {}

    /**
     * {@code count} grey videos of {@code frames} frames of {@code size}^2 pixels.
     *
     * @param itemsOrNull the pictures that move (any resolution, 1 or 3 channels), or null for
     *     the built-in glyph digits
     */
    public static VideoSet generate(int count, int frames, int size, long seed, ImageSet itemsOrNull) {
        if (count < 0 || frames < 1) {
            throw new IllegalArgumentException("count must be >= 0 and frames >= 1, got " + count + ", " + frames);
        }
        if (size < ITEM) throw new IllegalArgumentException("canvas size must be >= " + ITEM + ", got " + size);
        float[][] items = itemsOrNull == null ? glyphs() : items(itemsOrNull);
        float[][] clips = new float[count][];
        IntStream.range(0, count).parallel().forEach(i -> clips[i] = render(items, frames, size, Seeds.derive(seed, i)));
        var names = new ArrayList<String>(count);
        String source = itemsOrNull == null ? "glyphs" : "items";
        for (int i = 0; i < count; i++) names.add("builtin:moving-digits(" + source + ", seed=" + seed + ")#" + i);
        return new VideoSet(clips, frames, size, size, 1, names);
    }

    /**
     * The top-left corners of the items in every frame: [frames][2 * DIGITS] as
     * (x0, y0, x1, y1), drawn from {@code rng}; every corner lies in [0, size - ITEM].
     */
    static int[][] trajectory(Random rng, int frames, int size) {
        int range = size - ITEM;
        int[][] pos = new int[frames][2 * DIGITS];
        for (int d = 0; d < DIGITS; d++) {
            int x = rng.nextInt(range + 1), y = rng.nextInt(range + 1);
            double angle = rng.nextDouble() * 2 * Math.PI, speed = 2 + 2 * rng.nextDouble();
            int vx = (int) Math.round(speed * Math.cos(angle)), vy = (int) Math.round(speed * Math.sin(angle));
            if (vx == 0 && vy == 0) vx = 2;
            for (int t = 0; t < frames; t++) {
                pos[t][2 * d] = x;
                pos[t][2 * d + 1] = y;
                if (x + vx < 0 || x + vx > range) vx = -vx;
                if (y + vy < 0 || y + vy > range) vy = -vy;
                x = Math.max(0, Math.min(range, x + vx)); // a step longer than the canvas is clamped
                y = Math.max(0, Math.min(range, y + vy));
            }
        }
        return pos;
    }

    private static float[] render(float[][] items, int frames, int size, long seed) {
        Random rng = new Random(seed);
        float[][] chosen = new float[DIGITS][];
        for (int d = 0; d < DIGITS; d++) chosen[d] = items[rng.nextInt(items.length)];
        int[][] pos = trajectory(rng, frames, size);
        float[] out = new float[frames * size * size];
        for (int t = 0; t < frames; t++) {
            int base = t * size * size;
            for (int d = 0; d < DIGITS; d++) {
                int x0 = pos[t][2 * d], y0 = pos[t][2 * d + 1];
                for (int y = 0; y < ITEM; y++) {
                    for (int x = 0; x < ITEM; x++) {
                        int at = base + (y0 + y) * size + x0 + x;
                        out[at] = Math.max(out[at], chosen[d][y * ITEM + x]);
                    }
                }
            }
        }
        return out;
    }

    private static float[][] items(ImageSet set) {
        if (set.size() == 0) throw new IllegalArgumentException("the item set is empty; pass null for built-in digits");
        float[][] out = new float[set.size()][];
        for (int i = 0; i < set.size(); i++) {
            float[] img = set.image(i);
            if (set.channels() == 3) {
                float[] g = new float[set.points()];
                for (int p = 0; p < g.length; p++) {
                    g[p] = (img[3 * p] * 299 + img[3 * p + 1] * 587 + img[3 * p + 2] * 114) / 1000f;
                }
                img = g;
            }
            out[i] = Resize.resize(img, set.resolution(), set.resolution(), 1, ITEM, ITEM);
        }
        return out;
    }

    /** Digits '0'-'9' as 28x28 grey glyphs, glyph height about 20 px. Cached. */
    static float[][] glyphs() {
        float[][] g = glyphs;
        if (g != null) return g;
        synchronized (MovingDigits.class) {
            if (glyphs != null) return glyphs;
            if (System.getProperty("java.awt.headless") == null) System.setProperty("java.awt.headless", "true");
            float[][] out = new float[10][];
            for (int d = 0; d < 10; d++) {
                BufferedImage img = new BufferedImage(ITEM, ITEM, BufferedImage.TYPE_BYTE_GRAY);
                Graphics2D g2 = img.createGraphics();
                try {
                    g2.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                    g2.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                    g2.setColor(Color.WHITE);
                    Font font = new Font(Font.SANS_SERIF, Font.BOLD, 24);
                    GlyphVector gv = font.createGlyphVector(g2.getFontRenderContext(), Integer.toString(d));
                    Rectangle2D b = gv.getVisualBounds();
                    g2.drawGlyphVector(gv, (float) ((ITEM - b.getWidth()) / 2 - b.getX()),
                            (float) ((ITEM - b.getHeight()) / 2 - b.getY()));
                } finally {
                    g2.dispose();
                }
                out[d] = new float[ITEM * ITEM];
                for (int p = 0; p < out[d].length; p++) out[d][p] = img.getRaster().getSample(p % ITEM, p / ITEM, 0) / 255f;
            }
            glyphs = out;
            return out;
        }
    }
}
