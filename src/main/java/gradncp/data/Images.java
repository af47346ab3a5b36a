package gradncp.data;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Image files to and from channel-last float arrays in [0, 1]: reading one PNG/JPEG, loading a
 * folder of them as an {@link ImageSet} (centre-crop to a square, then {@link Resize} to R x R,
 * like the reference's Resize + CenterCrop), and writing PNGs.
 *
 * <p>Grey conversion uses the ITU-R 601 luma weights of PIL's {@code convert("L")}. Grey files
 * are read from the raster, not through {@code getRGB}, which would apply a gamma curve to
 * {@code TYPE_BYTE_GRAY} images. Alpha is dropped, as in PIL's {@code convert("RGB")}.
 */
public final class Images {
    private static final System.Logger LOG = System.getLogger(Images.class.getName());

    /**
     * One decoded image, [height*width*channels] channel-last in [0, 1]; alphaDropped when the file
     * had an alpha channel, which is not part of the pixels.
     */
    public record Image(float[] pixels, int height, int width, int channels, boolean alphaDropped) {}

    /**
     * Options for {@link #loadFolder}.
     *
     * @param minSize files whose shorter side is below this many pixels are bad (0 = no check)
     * @param skipBad skip unreadable and too-small files with a logged warning instead of failing
     * @param limit load at most this many files, in path order (0 = all)
     */
    public record FolderOptions(int minSize, boolean skipBad, int limit) {
        public static final FolderOptions DEFAULT = new FolderOptions(0, false, 0);
    }

    private Images() {}

    /** Reads a PNG/JPEG (anything ImageIO reads) as {@code channels} = 1 (grey) or 3 (RGB). */
    public static Image read(Path file, int channels) throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (!Files.isRegularFile(file)) throw new IOException("image file not found: " + file);
        return decode(Files.readAllBytes(file), file.toString(), channels);
    }

    /** Decodes a PNG/JPEG file's bytes as {@link #read} does; name is for messages. */
    public static Image decode(byte[] encoded, String name, int channels) throws IOException {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        BufferedImage img;
        try {
            img = ImageIO.read(new java.io.ByteArrayInputStream(encoded));
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot decode image " + name + ": " + e.getMessage(), e);
        }
        if (img == null) {
            throw new IOException("not a readable image (PNG/JPEG expected): " + name);
        }
        int h = img.getHeight(), w = img.getWidth();
        float[] out = new float[h * w * channels];
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        boolean grey = cm.getNumColorComponents() == 1 && raster.getNumBands() <= 2
                && !(cm instanceof java.awt.image.IndexColorModel);
        double max = grey ? (1L << cm.getComponentSize(0)) - 1 : 255;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = (y * w + x) * channels;
                if (grey) {
                    float v = (float) (raster.getSample(x, y, 0) / max);
                    for (int c = 0; c < channels; c++) out[at + c] = v;
                    continue;
                }
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
                if (channels == 3) {
                    out[at] = r / 255f;
                    out[at + 1] = g / 255f;
                    out[at + 2] = b / 255f;
                } else {
                    out[at] = (float) ((r * 299 + g * 587 + b * 114) / 1000.0 / 255.0);
                }
            }
        }
        return new Image(out, h, w, channels, cm.hasAlpha());
    }

    /** All *.png, *.jpg, *.jpeg under {@code dir} (recursive), sorted by path. */
    public static List<Path> listImageFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) throw new IOException("image folder not found: " + dir.toAbsolutePath());
        if (!Files.isDirectory(dir)) throw new IOException("not a folder: " + dir + "; give a folder of PNG/JPEG files");
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg");
            }).sorted().toList();
            if (files.isEmpty()) throw new IOException("no PNG/JPEG files under " + dir.toAbsolutePath());
            return files;
        }
    }

    /**
     * Loads every image under {@code dir}: centre-crop to a square, resize to
     * {@code resolution}^2, {@code channels} 1 or 3. Decoding runs in parallel; the order is the
     * sorted path order regardless.
     */
    public static ImageSet loadFolder(Path dir, int resolution, int channels, FolderOptions opts)
            throws IOException {
        if (resolution < 1) throw new IllegalArgumentException("resolution must be >= 1, got " + resolution);
        List<Path> files = listImageFiles(dir);
        if (opts.limit() > 0 && files.size() > opts.limit()) files = files.subList(0, opts.limit());
        List<Path> all = files;
        Object[] results = new Object[all.size()]; // Image (resized) or the IOException for that file
        IntStream.range(0, all.size()).parallel().forEach(i -> {
            try {
                results[i] = loadSquare(all.get(i), resolution, channels, opts.minSize());
            } catch (IOException e) {
                results[i] = e;
            }
        });
        var images = new ArrayList<float[]>();
        var names = new ArrayList<String>();
        int alpha = 0;
        for (int i = 0; i < all.size(); i++) {
            if (results[i] instanceof IOException e) {
                if (!opts.skipBad()) {
                    throw new IOException(e.getMessage() + " (train --skip-bad skips unreadable and too small files)", e);
                }
                LOG.log(System.Logger.Level.WARNING, "skipping " + e.getMessage());
                continue;
            }
            Image im = (Image) results[i];
            images.add(im.pixels());
            names.add(all.get(i).toString());
            alpha += im.alphaDropped() ? 1 : 0;
        }
        if (alpha > 0) {
            LOG.log(System.Logger.Level.WARNING, alpha + " of " + images.size() + " images under " + dir
                    + " have an alpha channel; it is dropped (colours are used as stored)");
        }
        if (images.isEmpty()) throw new IOException("no readable images under " + dir.toAbsolutePath());
        return new ImageSet(images.toArray(float[][]::new), resolution, channels, names);
    }

    private static Image loadSquare(Path file, int r, int channels, int minSize) throws IOException {
        Image im = read(file, channels);
        if (Math.min(im.height(), im.width()) < minSize) {
            throw new IOException("image too small: " + file + " is " + im.width() + "x"
                    + im.height() + ", minimum side is " + minSize);
        }
        return new Image(Resize.squareResize(im.pixels(), im.height(), im.width(), channels, r), r, r, channels,
                im.alphaDropped());
    }

    /** Writes [h*w*c] (c = 1 or 3) as an 8-bit PNG; values are clamped to [0,1] and rounded. */
    public static void writePng(Path file, float[] pixels, int h, int w, int c) throws IOException {
        if ((c != 1 && c != 3) || pixels.length != h * w * c) {
            throw new IllegalArgumentException("writePng needs [h*w*c] with c = 1 or 3, got "
                    + pixels.length + " values for " + h + "x" + w + "x" + c);
        }
        BufferedImage img = new BufferedImage(w, h,
                c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = (y * w + x) * c;
                if (c == 1) {
                    img.getRaster().setSample(x, y, 0, toByte(pixels[at]));
                } else {
                    img.setRGB(x, y, toByte(pixels[at]) << 16 | toByte(pixels[at + 1]) << 8
                            | toByte(pixels[at + 2]));
                }
            }
        }
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer available for " + file);
        }
    }

    /** round(clamp(v, 0, 1) * 255); NaN maps to 0. */
    static int toByte(float v) {
        if (!(v > 0)) return 0;
        return v >= 1 ? 255 : Math.round(v * 255f);
    }
}
