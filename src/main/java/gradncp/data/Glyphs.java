package gradncp.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The built-in Omniglot-like glyph set ({@code builtin:glyphs}; ALGORITHM.md, Classification): one
 * class per distinct character of several scripts (Latin, Greek, Cyrillic, Armenian, Georgian,
 * Hebrew, Arabic, Runic, Ogham, Tifinagh, Canadian syllabics, Cherokee, Coptic, Glagolitic, ...)
 * that the machine's fonts can render. Each example is the character in one of those fonts, under
 * a seeded random affine map (rotation, anisotropic scale, shear, shift) with its outline's
 * vertices jittered (stroke noise) and a random stroke width, white on black, grey. Example i of
 * class c depends only on (seed, c, i); every class has {@link #EXAMPLES} examples, drawn on
 * first use and kept (as bytes: the renderer's grey levels) so that episodes reuse them.
 *
 * <p>Classes are the characters in code-point order whose plain rendering in their first font is
 * neither blank nor identical to an earlier class's (Latin A, Greek Alpha and Cyrillic A are one
 * class). Fonts are those of {@link TextImages#fonts} that render at least
 * {@link #BROAD_FONT} of the candidate characters (symbol fonts map letters to other shapes).
 * The classes depend on the fonts installed: another machine may have other classes.
 */
public final class Glyphs implements LabelledImages {
    /** Images per class (Omniglot has 20; 100-shot episodes with queries need more). */
    public static final int EXAMPLES = 200;
    /** The fewest classes the set accepts. */
    public static final int MIN_CLASSES = 100;
    /** A font is used when it renders at least this many candidate characters. */
    static final int BROAD_FONT = 200;
    /** Code-point ranges of the candidate scripts, inclusive pairs. */
    private static final int[] RANGES = {
        0x41, 0x5A, 0x61, 0x7A, 0x30, 0x39, // Latin, digits
        0x391, 0x3A9, 0x3B1, 0x3C9, // Greek
        0x410, 0x44F, 0x460, 0x481, // Cyrillic
        0x531, 0x556, 0x561, 0x586, // Armenian
        0x5D0, 0x5EA, // Hebrew
        0x621, 0x64A, // Arabic
        0x10D0, 0x10FA, // Georgian
        0x13A0, 0x13F4, // Cherokee
        0x1401, 0x166C, // Canadian syllabics
        0x1681, 0x169A, // Ogham
        0x16A0, 0x16EA, // Runic
        0x2C00, 0x2C5E, // Glagolitic
        0x2C80, 0x2CB1, // Coptic
        0x2D30, 0x2D65, // Tifinagh
    };

    private final int size;
    private final long seed;
    private final int[] codePoints;
    private final List<List<Font>> fontsOf;
    private final AtomicReferenceArray<byte[]> drawn;

    private Glyphs(int size, long seed, int[] codePoints, List<List<Font>> fontsOf) {
        this.size = size;
        this.seed = seed;
        this.codePoints = codePoints;
        this.fontsOf = fontsOf;
        this.drawn = new AtomicReferenceArray<>(codePoints.length * EXAMPLES);
    }

    /**
     * The glyph classes renderable on this machine, images of size x size.
     *
     * @throws IllegalStateException naming the fonts found when fewer than {@link #MIN_CLASSES} classes render
     */
    public static Glyphs create(int size, long seed) {
        return create(size, seed, TextImages.fonts());
    }

    /** The same with the given candidate fonts (those rendering fewer than {@link #BROAD_FONT} characters are dropped). */
    static Glyphs create(int size, long seed, List<Font> candidateFonts) {
        if (size < 8) {
            throw new IllegalArgumentException("glyph images need size >= 8, got " + size);
        }
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        List<Integer> candidates = new ArrayList<>();
        for (int r = 0; r < RANGES.length; r += 2) {
            for (int cp = RANGES[r]; cp <= RANGES[r + 1]; cp++) {
                candidates.add(cp);
            }
        }
        candidates.sort(null);
        List<Font> fonts = new ArrayList<>();
        List<String> seenFonts = new ArrayList<>();
        for (Font f : candidateFonts) {
            seenFonts.add(f.getFontName());
            int n = 0;
            for (int cp : candidates) {
                n += f.canDisplay(cp) ? 1 : 0;
            }
            if (n >= BROAD_FONT) {
                fonts.add(f);
            }
        }
        List<Integer> kept = new ArrayList<>();
        List<List<Font>> fontsOf = new ArrayList<>();
        Set<String> shapes = new HashSet<>();
        for (int cp : candidates) {
            List<Font> able = fonts.stream().filter(f -> f.canDisplay(cp)).toList();
            if (able.isEmpty()) {
                continue;
            }
            String key = signature(able.get(0), cp);
            if (key == null || !shapes.add(key)) {
                continue;
            }
            kept.add(cp);
            fontsOf.add(able);
        }
        if (kept.size() < MIN_CLASSES) {
            throw new IllegalStateException("builtin:glyphs: only " + kept.size() + " distinct characters render with"
                    + " the fonts on this machine (" + fonts.size() + " usable of " + seenFonts.size() + ": "
                    + String.join(", ", seenFonts) + "); it needs at least " + MIN_CLASSES + ". Install a broad"
                    + " Unicode font (e.g. Debian's fonts-dejavu-core) or use an image folder or IDX file");
        }
        return new Glyphs(size, seed, kept.stream().mapToInt(Integer::intValue).toArray(), fontsOf);
    }

    /** A 16 px binary rendering of cp in font f, as a string (equal strings: the same glyph); null if blank. */
    private static String signature(Font f, int cp) {
        float[] img = draw(f.deriveFont(Font.PLAIN, 48f), cp, 16, new AffineTransform(), 0, 0, null);
        StringBuilder sb = new StringBuilder(img.length);
        boolean ink = false;
        for (float v : img) {
            boolean on = v > 0.5f;
            ink |= on;
            sb.append(on ? '1' : '0');
        }
        return ink ? sb.toString() : null;
    }

    @Override
    public int classes() {
        return codePoints.length;
    }

    @Override
    public int channels() {
        return 1;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int examples(int c) {
        return EXAMPLES;
    }

    @Override
    public String className(int c) {
        return new String(Character.toChars(codePoints[c])) + " (U+" + String.format("%04X", codePoints[c]) + ")";
    }

    @Override
    public String describe() {
        return "builtin:glyphs (" + classes() + " characters of " + fontsOf.stream().flatMap(List::stream)
                .map(Font::getFontName).distinct().count() + " fonts, " + size + " px)";
    }

    /**
     * Example i of class c: a random font that has the character, bold one time in three,
     * rotation N(0, 10 deg) within 20 deg, scales U(0.8, 1.1) per axis, shear U(-0.15, 0.15),
     * shift U(-8%, 8%) of the side, vertex jitter N(0, (1.5% of the side)^2), stroke width U(0, 4%).
     */
    @Override
    public float[] image(int c, int i) {
        if (i < 0 || i >= EXAMPLES) {
            throw new IndexOutOfBoundsException("glyph example " + i + " of " + EXAMPLES);
        }
        byte[] grey = drawn.get(c * EXAMPLES + i);
        if (grey == null) {
            float[] img = render(c, i);
            grey = new byte[img.length];
            for (int p = 0; p < img.length; p++) {
                grey[p] = (byte) Math.round(img[p] * 255f);
            }
            drawn.set(c * EXAMPLES + i, grey);
        }
        float[] out = new float[grey.length];
        for (int p = 0; p < out.length; p++) {
            out[p] = (grey[p] & 0xff) / 255f;
        }
        return out;
    }

    private float[] render(int c, int i) {
        Random rng = new Random(Seeds.derive(Seeds.derive(seed, c), i));
        List<Font> able = fontsOf.get(c);
        Font f = able.get(rng.nextInt(able.size())).deriveFont(rng.nextInt(3) == 0 ? Font.BOLD : Font.PLAIN, 48f);
        double angle = Math.toRadians(Math.max(-20, Math.min(20, 10 * rng.nextGaussian())));
        AffineTransform t = new AffineTransform();
        t.translate(size * 0.16 * (rng.nextDouble() - 0.5), size * 0.16 * (rng.nextDouble() - 0.5));
        t.rotate(angle, size / 2.0, size / 2.0);
        t.shear(0.3 * (rng.nextDouble() - 0.5), 0);
        double sx = 0.8 + 0.3 * rng.nextDouble();
        double sy = 0.8 + 0.3 * rng.nextDouble();
        t.translate(size / 2.0, size / 2.0);
        t.scale(sx, sy);
        t.translate(-size / 2.0, -size / 2.0);
        return draw(f, codePoints[c], size, t, 0.015 * size, 0.04 * size * rng.nextDouble(), rng);
    }

    /**
     * Renders cp in f fitted into the central 75% of a side x side image, then mapped by t, its
     * outline's vertices jittered by N(0, jitter^2) and stroked with the given width in addition
     * to the fill. Grey, ink 1 on 0.
     */
    static float[] draw(Font f, int cp, int side, AffineTransform t, double jitter, double stroke, Random rng) {
        FontRenderContext frc = new FontRenderContext(null, true, true);
        Shape outline = f.createGlyphVector(frc, new String(Character.toChars(cp))).getOutline();
        Rectangle2D box = outline.getBounds2D();
        double fit = side * 0.75 / Math.max(1e-6, Math.max(box.getWidth(), box.getHeight()));
        AffineTransform place = new AffineTransform(t);
        place.translate(side / 2.0, side / 2.0);
        place.scale(fit, fit);
        place.translate(-box.getCenterX(), -box.getCenterY());
        Shape shape = jittered(place.createTransformedShape(outline), jitter, rng);
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fill(shape);
            if (stroke > 0) {
                g.setStroke(new BasicStroke((float) stroke, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
                g.draw(shape);
            }
        } finally {
            g.dispose();
        }
        float[] out = new float[side * side];
        byte[] px = ((java.awt.image.DataBufferByte) img.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < out.length; i++) {
            out[i] = (px[i] & 0xff) / 255f;
        }
        return out;
    }

    /** The shape flattened to polygons with every vertex moved by N(0, sigma^2) per axis (sigma 0: unchanged). */
    private static Shape jittered(Shape s, double sigma, Random rng) {
        if (sigma <= 0 || rng == null) {
            return s;
        }
        Path2D.Double out = new Path2D.Double(Path2D.WIND_NON_ZERO);
        double[] c = new double[6];
        for (PathIterator it = s.getPathIterator(null, 0.25); !it.isDone(); it.next()) {
            int type = it.currentSegment(c);
            double x = c[0] + sigma * rng.nextGaussian();
            double y = c[1] + sigma * rng.nextGaussian();
            switch (type) {
                case PathIterator.SEG_MOVETO -> out.moveTo(x, y);
                case PathIterator.SEG_LINETO -> out.lineTo(x, y);
                default -> out.closePath();
            }
        }
        return out;
    }
}
