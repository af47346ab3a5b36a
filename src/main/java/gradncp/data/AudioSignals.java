package gradncp.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Audio clips as signals: coordinates 50 * linspace(-1, 1, L) (COIN++ / ALGORITHM.md, Coordinates),
 * inDim 1, one channel, values (w + 1) / 2. PSNR only (no SSIM; ALGORITHM.md, Metrics). Written as
 * 16-bit mono WAV ({@link Audio#writeClip}). {@link #resampled} keeps the duration and changes the
 * sample rate to {@code size} Hz, so a fitted field can be rendered at any rate.
 */
public final class AudioSignals implements SignalSet {
    private final AudioSet set;
    private double[] coords;

    public AudioSignals(AudioSet set) {
        this.set = set;
    }

    public AudioSet audio() {
        return set;
    }

    @Override public int size() { return set.size(); }
    @Override public int inDim() { return 1; }
    @Override public int channels() { return 1; }
    @Override public int points() { return set.samples(); }
    @Override public float[] values(int i) { return set.clip(i); }
    @Override public List<String> names() { return set.names(); }
    @Override public SignalSet subset(int[] indices) {
        float[][] c = new float[indices.length][];
        String[] n = new String[indices.length];
        for (int k = 0; k < indices.length; k++) {
            c[k] = set.clip(indices[k]);
            n[k] = set.names().get(indices[k]);
        }
        return new AudioSignals(new AudioSet(c, set.sampleRate(), set.samples(), List.of(n)));
    }

    @Override
    public synchronized double[] coords() {
        if (coords == null) coords = Audio.audioCoords(set.samples());
        return coords;
    }

    @Override
    public SignalSet resampled(int sampleRate) {
        int samples = Audio.samplesFor(set.seconds(), sampleRate);
        return new AudioSignals(new AudioSet(new float[0][], sampleRate, samples, List.of()));
    }

    @Override
    public List<Path> write(Path dir, String stem, float[] values) throws IOException {
        Path wav = dir.resolve(stem + ".wav");
        Audio.writeClip(wav, values, set.sampleRate());
        return List.of(wav);
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "%d clips of %.3g s at %d Hz (%d samples)", set.size(), set.seconds(),
                set.sampleRate(), set.samples());
    }

    /**
     * {@code count} synthetic clips (no download): a sum of three sinusoids of 50-500 Hz with
     * random amplitudes and phases under a slow random envelope with silent gaps (like syllables),
     * peak 0.5; clip i depends only on
     * (seed, i). For tests and quick runs where no WAV files are at hand.
     */
    public static AudioSet tones(int count, int sampleRate, double seconds, long seed) {
        int n = Audio.samplesFor(seconds, sampleRate);
        float[][] clips = new float[count][n];
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            var rng = new java.util.SplittableRandom(seed * 1_000_003L + i);
            double[] f = new double[3], a = new double[3], ph = new double[3];
            for (int k = 0; k < 3; k++) {
                f[k] = 50 * Math.pow(10, rng.nextDouble());
                a[k] = 0.2 + rng.nextDouble();
                ph[k] = 2 * Math.PI * rng.nextDouble();
            }
            double envF = 2 + 3 * rng.nextDouble(), envPh = 2 * Math.PI * rng.nextDouble();
            double[] w = new double[n];
            double peak = 1e-9;
            for (int j = 0; j < n; j++) {
                double t = (double) j / sampleRate, s = 0;
                for (int k = 0; k < 3; k++) s += a[k] * Math.sin(2 * Math.PI * f[k] * t + ph[k]);
                double env = Math.max(0, Math.sin(2 * Math.PI * envF * t + envPh));
                w[j] = s * env * env;
                peak = Math.max(peak, Math.abs(w[j]));
            }
            for (int j = 0; j < n; j++) clips[i][j] = (float) ((0.5 * w[j] / peak + 1) / 2);
            names[i] = "tones:" + seed + "#" + i;
        }
        return new AudioSet(clips, sampleRate, n, List.of(names));
    }
}
