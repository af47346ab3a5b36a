package gradncp.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Audio clips for the neural field (ALGORITHM.md, Coordinates): WAV files are read ({@link Wav}:
 * 16/24/32-bit and float PCM, multi-channel averaged to mono), resampled to the target rate
 * ({@link Resample}, windowed sinc), cut to the first {@code seconds} seconds and mapped from
 * [-1, 1] to [0, 1] by (w + 1) / 2. Clips shorter than that are right-padded with their last value,
 * as the reference (COIN++ LibriSpeech loader) does, unless {@link ClipOptions#rejectShort} asks
 * for an error.
 */
public final class Audio {
    /**
     * Scale of the audio coordinates: x = 50 * linspace(-1, 1, L), whatever L, as the reference's
     * audio wrapper does; it stretches the time axis so a SIREN with w0 = 30 can fit oscillations
     * of 16 kHz audio. (COIN++, whose LibriSpeech loader the reference took, instead maps each
     * 200-sample training patch to 10 * linspace(0, 1, 200) - 5, with w0 = 50.)
     */
    public static final double AUDIO_COORD_SCALE = 50.0;

    /**
     * Options for {@link #loadFolder}.
     *
     * @param rejectShort fail on a file shorter than the clip length instead of padding it
     * @param limit load at most this many files, in path order (0 = all)
     */
    public record ClipOptions(boolean rejectShort, int limit) {
        public static final ClipOptions DEFAULT = new ClipOptions(false, 0);
    }

    private Audio() {}

    /** The coordinates of L samples: AUDIO_COORD_SCALE * linspace(-1, 1, L), endpoints included. */
    public static double[] audioCoords(int length) {
        if (length < 1) throw new IllegalArgumentException("audio length must be >= 1, got " + length);
        double[] x = Grid.linspace(length);
        for (int j = 0; j < length; j++) {
            x[j] *= AUDIO_COORD_SCALE;
        }
        return x;
    }

    /** round(seconds * sampleRate), the clip length L (16 000 for 1 s at 16 kHz). */
    public static int samplesFor(double seconds, int sampleRate) {
        long n = Math.round(seconds * sampleRate);
        if (!(seconds > 0) || n < 1 || n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("clip of " + seconds + " s at " + sampleRate
                    + " Hz is not a usable length");
        }
        return (int) n;
    }

    /**
     * The first {@code samples} values of {@code wave} mapped to [0, 1]; a shorter wave is padded
     * with its last value, or rejected if {@code rejectShort} ({@code source} names it in errors).
     */
    public static float[] clip(float[] wave, int samples, boolean rejectShort, String source) {
        if (wave.length == 0) throw new IllegalArgumentException("audio " + source + " is empty");
        if (wave.length < samples && rejectShort) {
            throw new IllegalArgumentException("audio " + source + " has " + wave.length
                    + " samples, shorter than the clip length " + samples
                    + "; use shorter clips or allow padding (rejectShort = false)");
        }
        float[] out = new float[samples];
        for (int i = 0; i < samples; i++) {
            out[i] = (wave[Math.min(i, wave.length - 1)] + 1f) / 2f;
        }
        return out;
    }

    /** Reads one WAV file as a clip: resampled to {@code sampleRate}, cut/padded, in [0, 1]. */
    public static float[] readClip(Path file, int sampleRate, int samples, boolean rejectShort)
            throws IOException {
        Wav.Wave w = Wav.read(file);
        float[] x = Resample.resample(w.samples(), w.sampleRate(), sampleRate);
        try {
            return clip(x, samples, rejectShort, file.toString());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** All *.wav under {@code dir} (recursive, case-insensitive), sorted by path. */
    public static List<Path> listWavFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) throw new IOException("audio folder not found: " + dir.toAbsolutePath());
        if (!Files.isDirectory(dir)) throw new IOException("not a folder: " + dir + "; give a folder of WAV files");
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".wav"))
                    .sorted().toList();
            if (files.isEmpty()) throw new IOException("no *.wav files under " + dir.toAbsolutePath());
            return files;
        }
    }

    /**
     * Loads every WAV file under {@code dir} as a clip of {@code seconds} s at {@code sampleRate}
     * Hz. Decoding runs in parallel; the order is the sorted path order regardless.
     */
    public static AudioSet loadFolder(Path dir, int sampleRate, double seconds, ClipOptions opts)
            throws IOException {
        int samples = samplesFor(seconds, sampleRate);
        List<Path> files = listWavFiles(dir);
        if (opts.limit() > 0 && files.size() > opts.limit()) files = files.subList(0, opts.limit());
        List<Path> all = files;
        Object[] results = new Object[all.size()]; // float[] or the IOException for that file
        IntStream.range(0, all.size()).parallel().forEach(i -> {
            try {
                results[i] = readClip(all.get(i), sampleRate, samples, opts.rejectShort());
            } catch (IOException e) {
                results[i] = e;
            }
        });
        float[][] clips = new float[all.size()][];
        var names = new ArrayList<String>(all.size());
        for (int i = 0; i < all.size(); i++) {
            if (results[i] instanceof IOException e) throw new IOException(e.getMessage(), e);
            clips[i] = (float[]) results[i];
            names.add(all.get(i).toString());
        }
        return new AudioSet(clips, sampleRate, samples, names);
    }

    /** Writes a clip in [0, 1] back as 16-bit mono WAV: w = 2v - 1, clamped to [-1, 1]. */
    public static void writeClip(Path file, float[] clip, int sampleRate) throws IOException {
        float[] w = new float[clip.length];
        for (int i = 0; i < w.length; i++) w[i] = Math.max(-1f, Math.min(1f, 2f * clip[i] - 1f));
        Wav.write(file, w, sampleRate);
    }
}
