package gradncp.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Video clips for the neural field (ALGORITHM.md, Coordinates): sequences of frames
 * from a folder of images or an animated GIF, centre-cropped and resized to R x R like
 * {@link Images} ({@link Resize}: antialiased bilinear), split into clips of T frames, and
 * written back as PNG frames or a GIF ({@link Gif} documents the 256-colour quantisation).
 * A resolution of 0 keeps the native frame size, uncropped. Grey conversion and alpha handling
 * are those of {@link Images#read}.
 */
public final class Video {
    private Video() {}

    /**
     * Coordinates [T*H*W, 3] of a T x H x W video: (t, h, w), each axis linspace(-1, 1) with both
     * endpoints, flattened row-major so point (t*H + h)*W + w has index 3 * point.
     */
    public static double[] videoCoords(int t, int h, int w) {
        if (t < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException("video grid needs positive size, got " + t + "x" + h + "x" + w);
        }
        double[] lt = Grid.linspace(t), lh = Grid.linspace(h), lw = Grid.linspace(w);
        double[] c = new double[t * h * w * 3];
        for (int a = 0, i = 0; a < t; a++) {
            for (int b = 0; b < h; b++) {
                for (int d = 0; d < w; d++, i += 3) {
                    c[i] = lt[a];
                    c[i + 1] = lh[b];
                    c[i + 2] = lw[d];
                }
            }
        }
        return c;
    }

    /**
     * All image files directly in {@code dir} (PNG/JPEG/BMP, case-insensitive), sorted by file
     * name, as one sequence (a VideoSet with a single clip of all frames).
     */
    public static VideoSet loadFrameFolder(Path dir, int resolution, int channels) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("frame folder not found: " + dir.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp");
            }).sorted().toList();
        }
        if (files.isEmpty()) throw new IOException("no PNG/JPEG frames in " + dir.toAbsolutePath());
        Object[] read = new Object[files.size()]; // Images.Image or the IOException for that file
        IntStream.range(0, files.size()).parallel().forEach(i -> {
            try {
                read[i] = Images.read(files.get(i), channels);
            } catch (IOException e) {
                read[i] = e;
            }
        });
        List<float[]> frames = new ArrayList<>(files.size());
        Images.Image first = null;
        for (int i = 0; i < files.size(); i++) {
            if (read[i] instanceof IOException e) throw e;
            Images.Image im = (Images.Image) read[i];
            if (first == null) first = im;
            if (im.height() != first.height() || im.width() != first.width()) {
                throw new IOException("frame size mismatch in " + dir + ": " + files.get(i) + " is "
                        + im.width() + "x" + im.height() + " but the first frame " + files.get(0) + " is "
                        + first.width() + "x" + first.height() + "; all frames of a sequence must have one size");
            }
            frames.add(im.pixels());
        }
        return sequence(frames, first.height(), first.width(), channels, resolution, dir.toString());
    }

    /** The composed frames of an animated GIF (see {@link Gif}) as one sequence. */
    public static VideoSet readGif(Path file, int resolution, int channels) throws IOException {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        List<BufferedImage> imgs = Gif.read(file);
        int h = imgs.get(0).getHeight(), w = imgs.get(0).getWidth();
        List<float[]> frames = new ArrayList<>(imgs.size());
        for (BufferedImage img : imgs) {
            float[] f = new float[h * w * channels];
            for (int i = 0; i < h * w; i++) {
                int rgb = img.getRGB(i % w, i / w);
                int r = (rgb >> 16) & 255, g = (rgb >> 8) & 255, b = rgb & 255;
                if (channels == 1) {
                    f[i] = (float) ((r * 299 + g * 587 + b * 114) / 1000.0 / 255.0);
                } else {
                    f[3 * i] = r / 255f;
                    f[3 * i + 1] = g / 255f;
                    f[3 * i + 2] = b / 255f;
                }
            }
            frames.add(f);
        }
        return sequence(frames, h, w, channels, resolution, file.toString());
    }

    private static VideoSet sequence(List<float[]> frames, int h, int w, int c, int resolution, String name) {
        if (resolution < 0) throw new IllegalArgumentException("resolution must be >= 0, got " + resolution);
        int oh = resolution > 0 ? resolution : h, ow = resolution > 0 ? resolution : w;
        int per = oh * ow * c;
        float[] all = new float[frames.size() * per];
        IntStream.range(0, frames.size()).parallel().forEach(t -> {
            float[] f = resolution > 0 ? Resize.squareResize(frames.get(t), h, w, c, resolution) : frames.get(t);
            System.arraycopy(f, 0, all, t * per, per);
        });
        return new VideoSet(new float[][] {all}, frames.size(), oh, ow, c, List.of(name));
    }

    /**
     * Splits every clip of {@code sequences} into clips of {@code frames} frames starting at
     * 0, stride, 2*stride, ... (a tail shorter than {@code frames} is dropped); e.g. 64 frames
     * give 4 clips of 16 with stride 16, or 7 with stride 8.
     */
    public static VideoSet clips(VideoSet sequences, int frames, int stride) {
        if (frames < 1 || stride < 1) {
            throw new IllegalArgumentException("frames and stride must be >= 1, got " + frames + ", " + stride);
        }
        if (sequences.frames() < frames) {
            throw new IllegalArgumentException("sequence " + sequences.names().get(0) + " has "
                    + sequences.frames() + " frames, fewer than the clip length " + frames
                    + "; use shorter clips or a longer sequence");
        }
        int per = sequences.frameSize();
        var out = new ArrayList<float[]>();
        var names = new ArrayList<String>();
        for (int i = 0; i < sequences.size(); i++) {
            for (int s = 0; s + frames <= sequences.frames(); s += stride) {
                float[] c = new float[frames * per];
                System.arraycopy(sequences.clip(i), s * per, c, 0, frames * per);
                out.add(c);
                names.add(sequences.names().get(i) + "#frames " + s + "-" + (s + frames - 1));
            }
        }
        return new VideoSet(out.toArray(float[][]::new), frames, sequences.height(), sequences.width(),
                sequences.channels(), names);
    }

    /**
     * A dataset: every sub-folder of {@code root} (a frame folder) and every *.gif in it, sorted by
     * name, each split into clips of {@code frames} frames with {@code stride}.
     */
    public static VideoSet loadDataset(Path root, int resolution, int channels, int frames, int stride)
            throws IOException {
        if (!Files.isDirectory(root)) throw new IOException("video folder not found: " + root.toAbsolutePath());
        List<Path> entries;
        try (Stream<Path> list = Files.list(root)) {
            entries = list.filter(p -> Files.isDirectory(p)
                    || p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gif")).sorted().toList();
        }
        if (entries.isEmpty()) throw new IOException("no frame folders or *.gif files in " + root.toAbsolutePath());
        var clips = new ArrayList<float[]>();
        var names = new ArrayList<String>();
        VideoSet shape = null;
        for (Path e : entries) {
            VideoSet seq = Files.isDirectory(e) ? loadFrameFolder(e, resolution, channels) : readGif(e, resolution, channels);
            VideoSet cut;
            try {
                cut = clips(seq, frames, stride);
            } catch (IllegalArgumentException ex) {
                throw new IOException(ex.getMessage(), ex);
            }
            if (shape != null && (cut.height() != shape.height() || cut.width() != shape.width())) {
                throw new IOException("sequence " + e + " has " + cut.width() + "x" + cut.height()
                        + " frames but " + shape.names().get(0) + " has " + shape.width() + "x"
                        + shape.height() + "; give a resolution > 0 to resize them all");
            }
            if (shape == null) shape = cut;
            clips.addAll(List.of(cut.clips()));
            names.addAll(cut.names());
        }
        return new VideoSet(clips.toArray(float[][]::new), frames, shape.height(), shape.width(), channels, names);
    }

    /** Writes clip {@code i} as 8-bit PNGs {@code frame_0001.png}, ... into {@code dir}. */
    public static void writePngFrames(Path dir, VideoSet set, int i) throws IOException {
        for (int t = 0; t < set.frames(); t++) {
            Images.writePng(dir.resolve(String.format(Locale.ROOT, "frame_%04d.png", t + 1)),
                    set.frame(i, t), set.height(), set.width(), set.channels());
        }
    }

    /** Writes clip {@code i} as a looping animated GIF, {@code delayMs} per frame (10 ms steps). */
    public static void writeGif(Path file, VideoSet set, int i, int delayMs) throws IOException {
        List<BufferedImage> frames = new ArrayList<>(set.frames());
        for (int t = 0; t < set.frames(); t++) {
            frames.add(Gif.indexed(set.frame(i, t), set.height(), set.width(), set.channels()));
        }
        Gif.write(file, frames, delayMs);
    }
}
