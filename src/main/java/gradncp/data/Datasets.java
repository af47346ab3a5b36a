package gradncp.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves a dataset string of a config to images: {@code builtin:text[:COUNT]} (the generated
 * Text dataset, no download), a folder of PNG/JPEG files, a {@code .npy} array, or an IDX file
 * (MNIST / Fashion-MNIST).
 */
public final class Datasets {
    public static final String BUILTIN_TEXT = "builtin:text";
    /** Images generated for builtin:text when no count is given. */
    public static final int DEFAULT_TEXT_COUNT = 1024;

    private Datasets() {}

    public static ImageSet load(String source, int resolution, int channels, long seed, boolean skipBad)
            throws IOException {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("no dataset given; use a folder of images, a .npy/IDX file or "
                    + BUILTIN_TEXT);
        }
        if (source.startsWith(BUILTIN_TEXT)) {
            int count = DEFAULT_TEXT_COUNT;
            if (source.length() > BUILTIN_TEXT.length()) {
                try {
                    count = Integer.parseInt(source.substring(BUILTIN_TEXT.length() + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad dataset '" + source + "'; expected builtin:text or builtin:text:COUNT");
                }
            }
            ImageSet set = TextImages.generate(count, resolution, seed);
            return channels == 3 ? set : toGrey(set);
        }
        if (source.startsWith("builtin:")) {
            throw new IllegalArgumentException("unknown built-in dataset '" + source + "'; known: " + BUILTIN_TEXT);
        }
        Path p = Path.of(source);
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("dataset path not found: " + p.toAbsolutePath());
        }
        String name = p.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (Files.isDirectory(p)) {
            return Images.loadFolder(p, resolution, channels, new Images.FolderOptions(0, skipBad, 0));
        }
        if (name.endsWith(".npy")) {
            return Npy.readImages(p);
        }
        if (name.contains("idx") || name.contains("ubyte")) {
            ImageSet set = Idx.readImages(p, resolution, 0);
            return channels == 1 ? set : toRgb(set);
        }
        throw new IllegalArgumentException("cannot read dataset " + p + ": expected a folder of images, a .npy file,"
                + " an IDX file or " + BUILTIN_TEXT);
    }

    static ImageSet toGrey(ImageSet s) {
        if (s.channels() == 1) {
            return s;
        }
        float[][] out = new float[s.size()][];
        for (int i = 0; i < out.length; i++) {
            float[] img = s.image(i);
            float[] g = new float[img.length / 3];
            for (int p = 0; p < g.length; p++) {
                g[p] = 0.299f * img[3 * p] + 0.587f * img[3 * p + 1] + 0.114f * img[3 * p + 2];
            }
            out[i] = g;
        }
        return new ImageSet(out, s.resolution(), 1, s.names());
    }

    static ImageSet toRgb(ImageSet s) {
        if (s.channels() == 3) {
            return s;
        }
        float[][] out = new float[s.size()][];
        for (int i = 0; i < out.length; i++) {
            float[] img = s.image(i);
            float[] c = new float[img.length * 3];
            for (int p = 0; p < img.length; p++) {
                c[3 * p] = img[p];
                c[3 * p + 1] = img[p];
                c[3 * p + 2] = img[p];
            }
            out[i] = c;
        }
        return new ImageSet(out, s.resolution(), 3, s.names());
    }
}
