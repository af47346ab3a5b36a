package gradncp.data;

import gradncp.config.MetaConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Resolves a dataset string of a config to images: {@code builtin:text[:COUNT]} (the generated
 * Text dataset, no download), a folder of PNG/JPEG files, a {@code .npy} array, or an IDX file
 * (MNIST / Fashion-MNIST); and, through {@link #signals}, a dataset of any modality:
 * <ul>
 * <li>audio: a folder of WAV files (recursive) or one .wav; {@code builtin:tones[:COUNT]}
 *     ({@link AudioSignals#tones});
 * <li>video: {@code builtin:digits[:COUNT]} ({@link MovingDigits}), a folder of frames, an
 *     animated .gif, or a folder of frame folders / GIFs; every sequence is cut into clips of
 *     {@code frames} frames with stride {@code frames} (a shorter tail is dropped);
 * <li>sphere: a folder of [rows, cols] .npy fields with lat.npy and lon.npy ({@link SphereGrid}),
 *     or one field .npy next to them;
 * <li>scene: {@code builtin:cars[:COUNT]} ({@link ToyCars}), or a Blender-layout scene folder or
 *     folder of scene folders ({@link BlenderScenes}).
 * </ul>
 */
public final class Datasets {
    public static final String BUILTIN_TEXT = "builtin:text";
    /** Images generated for builtin:text when no count is given. */
    public static final int DEFAULT_TEXT_COUNT = 1024;
    public static final String BUILTIN_DIGITS = "builtin:digits";
    public static final String BUILTIN_TONES = "builtin:tones";
    public static final String BUILTIN_CARS = "builtin:cars";
    /** Signals generated for builtin:digits and builtin:tones when no count is given. */
    public static final int DEFAULT_BUILTIN_COUNT = 64;

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
            ImageSet set = Npy.readImages(p);
            if (set.resolution() != resolution || set.channels() != channels) {
                // A .npy is taken as it is (no resize): its shape must be the one the config names.
                throw new IllegalArgumentException(p + " holds " + set.size() + " images of " + set.resolution()
                        + "x" + set.resolution() + "x" + set.channels() + ", but the config says resolution="
                        + resolution + ", channels=" + channels + "; set resolution and channels to match the"
                        + " file (a [S, R, R] array is 1 channel)");
            }
            return set;
        }
        if (name.contains("idx") || name.contains("ubyte")) {
            ImageSet set = Idx.readImages(p, resolution, 0);
            return channels == 1 ? set : toRgb(set);
        }
        throw new IllegalArgumentException("cannot read dataset " + p + ": expected a folder of images, a .npy file,"
                + " an IDX file or " + BUILTIN_TEXT);
    }

    /**
     * The signals of {@code source} for the config's modality (see the class comment).
     *
     * @param rangeOrNull sphere only: fixed {min, max} normalisation constants (from a checkpoint or
     *     the training set), or null to use the data's own
     */
    public static SignalSet signals(MetaConfig cfg, String source, long seed, boolean skipBad, double[] rangeOrNull)
            throws IOException {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("no dataset given for modality " + lower(cfg.modality()));
        }
        return switch (cfg.modality()) {
            case IMAGE -> new ImageSignals(load(source, cfg.resolution(), cfg.channels(), seed, skipBad));
            case AUDIO -> new AudioSignals(audio(cfg, source, seed));
            case VIDEO -> new VideoSignals(video(cfg, source, seed));
            case SPHERE -> new SphereSignals(sphere(cfg, source, rangeOrNull));
            case SCENE -> SceneSignals.all(scenes(cfg, source, seed), cfg.inputViews(), cfg.whiteBackground());
            case CLASSIFICATION -> throw new IllegalArgumentException("modality=classification reads labelled"
                    + " images as episodes (gradncp.data.ClassDatasets), not signals");
        };
    }

    /** {@code builtin:cars[:COUNT]} ({@link ToyCars}) or a Blender-layout scene folder ({@link BlenderScenes}). */
    private static List<Scene> scenes(MetaConfig cfg, String source, long seed) throws IOException {
        if (source.startsWith("builtin:")) {
            int n = builtinCount(source, BUILTIN_CARS, "scene");
            return ToyCars.generate(n, cfg.views(), cfg.resolution(), seed);
        }
        return BlenderScenes.load(existing(source), cfg.resolution(), cfg.whiteBackground());
    }

    private static AudioSet audio(MetaConfig cfg, String source, long seed) throws IOException {
        if (source.startsWith("builtin:")) {
            int n = builtinCount(source, BUILTIN_TONES, "audio");
            return AudioSignals.tones(n, cfg.sampleRate(), cfg.seconds(), seed);
        }
        Path p = existing(source);
        boolean reject = cfg.shortClip() == MetaConfig.ShortClip.REJECT;
        try {
            if (Files.isDirectory(p)) {
                if (Audio.listWavFiles(p).isEmpty()) throw new IOException("no .wav files under " + p.toAbsolutePath());
                return Audio.loadFolder(p, cfg.sampleRate(), cfg.seconds(), new Audio.ClipOptions(reject, 0));
            }
            if (!p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav")) {
                throw new IllegalArgumentException("cannot read audio from " + p + ": expected a .wav file, a folder of"
                        + " them or " + BUILTIN_TONES);
            }
            int samples = Audio.samplesFor(cfg.seconds(), cfg.sampleRate());
            return new AudioSet(new float[][] {Audio.readClip(p, cfg.sampleRate(), samples, reject)}, cfg.sampleRate(),
                    samples, List.of(p.toString()));
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            if (!m.contains("rejectShort = false")) throw e;
            throw new IOException(m.replace("allow padding (rejectShort = false)", "set shortClip=pad (pads with the"
                    + " last value) or a smaller seconds"), e);
        }
    }

    private static VideoSet video(MetaConfig cfg, String source, long seed) throws IOException {
        VideoSet v;
        if (source.startsWith("builtin:")) {
            int n = builtinCount(source, BUILTIN_DIGITS, "video");
            v = MovingDigits.generate(n, cfg.frames(), cfg.resolution(), seed, null);
        } else {
            Path p = existing(source);
            boolean gif = p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gif");
            boolean frameFolder = Files.isDirectory(p) && hasFramesDirectly(p);
            if (gif || frameFolder) {
                VideoSet seq = gif ? Video.readGif(p, cfg.resolution(), cfg.channels())
                        : Video.loadFrameFolder(p, cfg.resolution(), cfg.channels());
                if (seq.frames() < cfg.frames()) {
                    throw new IllegalArgumentException(p + " has " + seq.frames() + " frames, fewer than frames="
                            + cfg.frames() + "; lower frames");
                }
                v = Video.clips(seq, cfg.frames(), cfg.frames());
            } else if (Files.isDirectory(p)) {
                v = Video.loadDataset(p, cfg.resolution(), cfg.channels(), cfg.frames(), cfg.frames());
            } else {
                throw new IllegalArgumentException("cannot read video from " + p + ": expected a folder of frames, a .gif,"
                        + " a folder of those, or " + BUILTIN_DIGITS);
            }
        }
        return cfg.channels() == 3 ? VideoSignals.toRgb(v) : v;
    }

    private static SphereSet sphere(MetaConfig cfg, String source, double[] rangeOrNull) throws IOException {
        if (source.startsWith("builtin:")) {
            throw new IllegalArgumentException("no built-in sphere data ('" + source + "'); give a folder of .npy fields"
                    + " with lat.npy and lon.npy");
        }
        Path p = existing(source);
        SphereGrid.NanPolicy policy = cfg.nanPolicy() == MetaConfig.NanPolicy.FILL_MEAN
                ? SphereGrid.NanPolicy.FILL_MEAN : SphereGrid.NanPolicy.REJECT;
        var opts = new SphereGrid.Options(policy, rangeOrNull);
        if (Files.isDirectory(p)) return SphereGrid.loadFolder(p, opts);
        Path dir = p.toAbsolutePath().getParent();
        return SphereGrid.load(List.of(p), dir.resolve("lat.npy"), dir.resolve("lon.npy"), opts);
    }

    private static boolean hasFramesDirectly(Path dir) throws IOException {
        try (var list = Files.list(dir)) {
            return list.anyMatch(f -> {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                return Files.isRegularFile(f) && (n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg")
                        || n.endsWith(".bmp"));
            });
        }
    }

    private static int builtinCount(String source, String known, String modality) {
        if (!source.startsWith(known)) {
            throw new IllegalArgumentException("unknown built-in " + modality + " dataset '" + source + "'; known: "
                    + known + "[:COUNT]");
        }
        if (source.length() == known.length()) return DEFAULT_BUILTIN_COUNT;
        try {
            int n = Integer.parseInt(source.substring(known.length() + 1));
            if (n >= 1 && source.charAt(known.length()) == ':') return n;
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("bad dataset '" + source + "'; expected " + known + " or " + known
                + ":COUNT with COUNT >= 1");
    }

    private static Path existing(String source) {
        Path p = Path.of(source);
        if (!Files.exists(p)) throw new IllegalArgumentException("dataset path not found: " + p.toAbsolutePath());
        return p;
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
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
