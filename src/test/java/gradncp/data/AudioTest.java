package gradncp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioTest {
    @TempDir Path dir;

    static float[] sine(double hz, double amp, int rate, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (amp * Math.sin(2 * Math.PI * hz * i / rate));
        return x;
    }

    /** Amplitude of the component at {@code hz} (projection on sin and cos), away from the edges. */
    static double amplitudeAt(float[] x, double hz, int rate) {
        int lo = x.length / 8, hi = x.length - x.length / 8;
        double s = 0, c = 0;
        for (int i = lo; i < hi; i++) {
            s += x[i] * Math.sin(2 * Math.PI * hz * i / rate);
            c += x[i] * Math.cos(2 * Math.PI * hz * i / rate);
        }
        return 2 * Math.hypot(s, c) / (hi - lo);
    }

    @Test
    void wavRoundTripIsExactTo16Bits() throws IOException {
        Random rng = new Random(7);
        float[] clip = new float[1000];
        for (int i = 0; i < clip.length; i++) clip[i] = rng.nextFloat();
        clip[0] = 0f;
        clip[1] = 1f;
        Audio.writeClip(dir.resolve("a.wav"), clip, 16000);
        Wav.Wave w = Wav.read(dir.resolve("a.wav"));
        assertEquals(16000, w.sampleRate());
        float[] back = Audio.clip(w.samples(), clip.length, true, "a.wav");
        assertArrayEquals(clip, back, 1f / 32768);
        assertEquals(0f, back[0]);
    }

    @Test
    void resamplingKeepsFrequencyAndAmplitudeAndRemovesAliases() {
        for (int[] rates : new int[][] {{16000, 8000}, {48000, 16000}}) {
            int from = rates[0], to = rates[1];
            float[] x = sine(1000, 0.5, from, from); // 1 s at 1 kHz
            float[] y = Resample.resample(x, from, to);
            assertEquals(to, y.length);
            assertEquals(0.5, amplitudeAt(y, 1000, to), 0.005, from + "->" + to);
            assertTrue(amplitudeAt(y, 1100, to) < 0.005, "energy leaked off 1 kHz");
            double rms = 0;
            for (int i = to / 8; i < to - to / 8; i++) rms += (double) y[i] * y[i];
            assertEquals(0.5 / Math.sqrt(2), Math.sqrt(rms / (to - to / 4)), 0.003);
            // a tone above the new Nyquist must vanish, not fold back to to - f
            double f = to * 0.8;
            float[] high = Resample.resample(sine(f, 0.5, from, from), from, to);
            assertTrue(amplitudeAt(high, to - f, to) < 1e-3, "aliasing at " + from + "->" + to);
        }
        float[] up = Resample.resample(sine(440, 0.3, 8000, 8000), 8000, 22050);
        assertEquals(22050, up.length);
        assertEquals(0.3, amplitudeAt(up, 440, 22050), 0.003);
    }

    private Path wavWith(String name, int channels, int bits, int format, float[][] perChannel, int rate)
            throws IOException {
        int n = perChannel[0].length;
        ByteBuffer b = ByteBuffer.allocate(44 + n * channels * bits / 8).order(ByteOrder.LITTLE_ENDIAN);
        Wav.header(b, n, rate, channels, bits, format);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < channels; c++) {
                float v = perChannel[c][i];
                if (format == 3) {
                    b.putFloat(v);
                } else if (bits == 24) {
                    int s = (int) Math.round(v * 8388608.0);
                    s = Math.max(-8388608, Math.min(8388607, s));
                    b.put((byte) s).put((byte) (s >> 8)).put((byte) (s >> 16));
                } else {
                    b.putShort(Wav.toPcm16(v));
                }
            }
        }
        Path p = dir.resolve(name);
        Files.write(p, b.array());
        return p;
    }

    @Test
    void stereoIsAveragedAnd24BitAndFloatAreConverted() throws IOException {
        float[] left = {0.5f, -0.25f, 0.125f}, right = {0.25f, 0.25f, -0.125f};
        try (gradncp.LogCapture log = gradncp.LogCapture.of(Wav.class)) {
            Wav.Wave st = Wav.read(wavWith("st.wav", 2, 16, 1, new float[][] {left, right}, 16000));
            assertArrayEquals(new float[] {0.375f, 0f, 0f}, st.samples(), 1e-6f);
            assertEquals(1, log.messages().size(), log.messages().toString());
            assertTrue(log.messages().get(0).contains("st.wav has 2 channels; mixing down"), log.messages().toString());
        }
        float[] fine = {0.1234567f, -0.7654321f, 1e-6f, -1f};
        Wav.Wave w24 = Wav.read(wavWith("x24.wav", 1, 24, 1, new float[][] {fine}, 44100));
        assertEquals(44100, w24.sampleRate());
        assertArrayEquals(fine, w24.samples(), 1f / 8388608 + 1e-7f); // 24-bit precision, not 16
        Wav.Wave wf = Wav.read(wavWith("xf.wav", 1, 32, 3, new float[][] {fine}, 8000));
        assertArrayEquals(fine, wf.samples(), 0f);
    }

    @Test
    void shortClipsArePaddedWithTheLastValueOrRejected() throws IOException {
        float[] c = Audio.clip(new float[] {-1f, 0f, 0.5f}, 5, false, "x");
        assertArrayEquals(new float[] {0f, 0.5f, 0.75f, 0.75f, 0.75f}, c, 0f);
        Wav.write(dir.resolve("short/s.wav"), new float[] {0.1f, 0.2f}, 16000);
        var e = assertThrows(IOException.class, () -> Audio.loadFolder(dir.resolve("short"), 16000, 1.0,
                new Audio.ClipOptions(true, 0)));
        assertTrue(e.getMessage().contains("s.wav") && e.getMessage().contains("shorter"), e.getMessage());
        AudioSet padded = Audio.loadFolder(dir.resolve("short"), 16000, 1.0, Audio.ClipOptions.DEFAULT);
        assertEquals(16000, padded.samples());
        assertEquals(padded.clip(0)[1], padded.clip(0)[15999]);
    }

    @Test
    void coordinatesFollowTheCoinConvention() {
        double[] x = Audio.audioCoords(16000);
        assertEquals(-50.0, x[0]);
        assertEquals(50.0, x[15999]);
        assertEquals(100.0 / 15999, x[1] - x[0], 1e-12);
    }

    @Test
    void speech16kLoads() throws IOException {
        Path speech = ImagesTest.sharedData().resolve("speech16k/test");
        Assumptions.assumeTrue(Files.isDirectory(speech), "shared data not found at " + speech);
        AudioSet set = Audio.loadFolder(speech, 16000, 1.0, Audio.ClipOptions.DEFAULT);
        assertEquals(30, set.size());
        assertEquals(16000, set.samples());
        double lo = 1, hi = 0;
        for (float v : set.clip(0)) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertTrue(lo >= 0 && hi <= 1 && hi - lo > 0.1, "range " + lo + ".." + hi);
        assertTrue(set.names().get(0).endsWith("s41_r0.wav"), set.names().get(0));
        AudioSet at8k = Audio.loadFolder(speech, 8000, 2.0, new Audio.ClipOptions(true, 2)); // all clips >= 2.13 s
        assertEquals(16000, at8k.samples());
    }
}
