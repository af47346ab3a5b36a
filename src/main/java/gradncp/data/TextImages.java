package gradncp.data;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The built-in "Text" dataset: random strings in random fonts, sizes and colours on a random
 * plain background, like the Text set of Tancik et al. (Fourier features, NeurIPS 2020) that
 * GradNCP evaluates on (ALGORITHM.md, Paper). Those 512 px images are not redistributable here, so
 * this generator makes the same kind of signal (sharp glyph edges on flat colour) at any R.
 *
 * <p>Fonts: every TrueType/OpenType file under /usr/share/fonts (DejaVu on Debian), in sorted
 * path order, plus the JDK logical fonts Serif, SansSerif and Monospaced, so it runs on any
 * machine with a JDK. Output is deterministic for a seed on a given machine (another machine
 * with other fonts gives other, equally valid, images). Rendering is headless: the
 * {@code java.awt.headless} property is set to true if nobody set it before.
 */
public final class TextImages {
    /** Where system fonts are looked up. */
    static final Path FONT_DIR = Path.of("/usr/share/fonts");
    private static final String ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789&?!#%@+=";
    private static volatile List<Font> fonts;

    private TextImages() {}

    /** {@code count} RGB images of {@code resolution}^2; image i depends only on (seed, i). */
    public static ImageSet generate(int count, int resolution, long seed) {
        if (count < 0) throw new IllegalArgumentException("count must be >= 0, got " + count);
        if (resolution < 8) {
            throw new IllegalArgumentException("resolution must be >= 8 for legible text, got " + resolution);
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        List<Font> available = fonts();
        float[][] images = new float[count][];
        IntStream.range(0, count).parallel()
                .forEach(i -> images[i] = render(resolution, Seeds.derive(seed, i), available));
        var names = new ArrayList<String>(count);
        for (int i = 0; i < count; i++) names.add("builtin:text(seed=" + seed + ")#" + i);
        return new ImageSet(images, resolution, 3, names);
    }

    /** One image: 1-4 lines of 2-10 random characters, each line its own font, size and colour. */
    static float[] render(int r, long seed, List<Font> available) {
        Random rng = new Random(seed);
        BufferedImage img = new BufferedImage(r, r, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            Color background = randomColour(rng);
            g.setColor(background);
            g.fillRect(0, 0, r, r);
            int lines = 1 + rng.nextInt(4);
            float y = r * (0.05f + 0.15f * rng.nextFloat());
            for (int l = 0; l < lines && y < r; l++) {
                // glyph height between r/8 and r/3.5: 8-18 px at R = 64, 22-51 px at R = 178
                float size = r / 8f + rng.nextFloat() * (r / 3.5f - r / 8f);
                Font base = available.get(rng.nextInt(available.size()));
                g.setFont(base.deriveFont(rng.nextInt(4), size)); // PLAIN, BOLD, ITALIC, BOLD|ITALIC
                g.setColor(contrasting(rng, background));
                StringBuilder text = new StringBuilder();
                int chars = 2 + rng.nextInt(9);
                for (int k = 0; k < chars; k++) {
                    text.append(ALPHABET.charAt(rng.nextInt(ALPHABET.length())));
                    if (k > 0 && k < chars - 1 && rng.nextInt(6) == 0) text.append(' ');
                }
                var metrics = g.getFontMetrics();
                y += metrics.getAscent();
                float x = r * (-0.1f + 0.4f * rng.nextFloat());
                g.drawString(text.toString(), x, y);
                y += metrics.getDescent() + size * 0.15f * rng.nextFloat();
            }
        } finally {
            g.dispose();
        }
        float[] out = new float[r * r * 3];
        for (int i = 0; i < r * r; i++) {
            int rgb = img.getRGB(i % r, i / r);
            out[3 * i] = ((rgb >> 16) & 255) / 255f;
            out[3 * i + 1] = ((rgb >> 8) & 255) / 255f;
            out[3 * i + 2] = (rgb & 255) / 255f;
        }
        return out;
    }

    private static Color randomColour(Random rng) {
        return new Color(rng.nextInt(256), rng.nextInt(256), rng.nextInt(256));
    }

    /** A random colour whose luma differs from {@code bg} by at least 0.3, so text stays legible. */
    private static Color contrasting(Random rng, Color bg) {
        Color c = randomColour(rng);
        for (int tries = 0; tries < 20 && Math.abs(luma(c) - luma(bg)) < 0.3; tries++) c = randomColour(rng);
        if (Math.abs(luma(c) - luma(bg)) < 0.3) c = luma(bg) > 0.5 ? Color.BLACK : Color.WHITE;
        return c;
    }

    private static double luma(Color c) {
        return (0.299 * c.getRed() + 0.587 * c.getGreen() + 0.114 * c.getBlue()) / 255.0;
    }

    /** System font files (sorted) that load, then the three logical fonts. Cached. */
    static List<Font> fonts() {
        List<Font> f = fonts;
        if (f != null) return f;
        synchronized (TextImages.class) {
            if (fonts != null) return fonts;
            var list = new ArrayList<Font>();
            if (Files.isDirectory(FONT_DIR)) {
                try (Stream<Path> walk = Files.walk(FONT_DIR)) {
                    for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        if (!(n.endsWith(".ttf") || n.endsWith(".otf")) || n.contains("math")) continue;
                        try {
                            list.add(Font.createFont(Font.TRUETYPE_FONT, p.toFile()));
                        } catch (FontFormatException | IOException e) {
                            // an unusable font file: the others (and the logical fonts) still work
                        }
                    }
                } catch (IOException | SecurityException e) {
                    // unreadable font folder: fall back to the logical fonts below
                }
            }
            for (String name : new String[] {Font.SERIF, Font.SANS_SERIF, Font.MONOSPACED}) {
                list.add(new Font(name, Font.PLAIN, 12));
            }
            fonts = List.copyOf(list);
            return fonts;
        }
    }
}
