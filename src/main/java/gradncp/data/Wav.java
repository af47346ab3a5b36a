package gradncp.data;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * WAV files to and from float waveforms in [-1, 1], through {@code javax.sound.sampled}.
 *
 * <p>Reading converts every PCM layout the JDK's WAV reader understands, exactly: signed
 * integer PCM of 16, 24 or 32 bits (value / 2^(bits-1), so 16-bit -32768..32767 maps to
 * [-1, 1 - 1/32768] as torchaudio's {@code load(normalize=True)} does), unsigned 8-bit
 * ((v - 128) / 128), and IEEE float 32/64-bit (kept as is, not clamped). Multi-channel files
 * are mixed down to mono by averaging the channels (a logged warning says so), which is what
 * a mono model of a stereo recording needs; pick one channel beforehand if you need that.
 *
 * <p>Writing produces 16-bit signed little-endian mono PCM in a plain 44-byte RIFF header:
 * round(w * 32768) clamped to [-32768, 32767], so a file read then written is unchanged.
 */
public final class Wav {
    private static final System.Logger LOG = System.getLogger(Wav.class.getName());

    /** A decoded mono waveform in [-1, 1] at {@code sampleRate} Hz. */
    public record Wave(float[] samples, int sampleRate) {
        /** Duration in seconds. */
        public double seconds() {
            return (double) samples.length / sampleRate;
        }
    }

    private Wav() {}

    /** Reads a WAV file as mono float samples (see the class comment for the conversions). */
    public static Wave read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("WAV file not found: " + file.toAbsolutePath());
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file));
                AudioInputStream in = AudioSystem.getAudioInputStream(raw)) {
            AudioFormat f = in.getFormat();
            byte[] bytes = in.readAllBytes();
            return new Wave(decode(bytes, f, file), Math.round(f.getSampleRate()));
        } catch (UnsupportedAudioFileException e) {
            throw new IOException("not a readable WAV file: " + file + " (" + e.getMessage()
                    + "); convert it to 16-bit PCM, e.g. sox in.wav -b 16 -e signed-integer out.wav", e);
        }
    }

    private static float[] decode(byte[] bytes, AudioFormat f, Path file) throws IOException {
        int bits = f.getSampleSizeInBits(), ch = f.getChannels();
        int width = (bits + 7) / 8, frame = width * ch;
        AudioFormat.Encoding enc = f.getEncoding();
        boolean signed = enc.equals(AudioFormat.Encoding.PCM_SIGNED);
        boolean unsigned8 = enc.equals(AudioFormat.Encoding.PCM_UNSIGNED) && bits == 8;
        boolean fp = enc.equals(AudioFormat.Encoding.PCM_FLOAT) && (bits == 32 || bits == 64);
        if (!(signed && bits >= 8 && bits <= 32) && !unsigned8 && !fp || ch < 1 || bits % 8 != 0) {
            throw new IOException("unsupported WAV sample format in " + file + ": " + f
                    + "; supported: signed PCM 8-32 bit, unsigned 8-bit, float 32/64-bit."
                    + " Convert it, e.g. sox in.wav -b 16 -e signed-integer out.wav");
        }
        if (ch > 1) {
            LOG.log(System.Logger.Level.WARNING, file + " has " + ch
                    + " channels; mixing down to mono by averaging them");
        }
        int n = bytes.length / frame;
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        double scale = Math.pow(2, bits - 1);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int c = 0; c < ch; c++) {
                int at = i * frame + c * width;
                double v;
                if (fp) {
                    v = bits == 32 ? buf.getFloat(at) : buf.getDouble(at);
                } else if (unsigned8) {
                    v = ((bytes[at] & 0xff) - 128) / 128.0;
                } else {
                    v = signedInt(bytes, at, width, f.isBigEndian()) / scale;
                }
                sum += v;
            }
            out[i] = (float) (sum / ch);
        }
        return out;
    }

    /** A two's-complement integer of {@code width} bytes at {@code at}. */
    private static long signedInt(byte[] b, int at, int width, boolean bigEndian) {
        long v = 0;
        for (int k = 0; k < width; k++) {
            int idx = bigEndian ? at + k : at + width - 1 - k; // most significant byte first
            v = (v << 8) | (b[idx] & 0xff);
        }
        int shift = 64 - 8 * width;
        return (v << shift) >> shift; // sign-extend
    }

    /** Writes mono samples in [-1, 1] as 16-bit PCM (clamped, rounded; NaN becomes 0). */
    public static void write(Path file, float[] samples, int sampleRate) throws IOException {
        if (sampleRate < 1) throw new IllegalArgumentException("sampleRate must be >= 1, got " + sampleRate);
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        header(b, samples.length, sampleRate, 1, 16, 1);
        for (float v : samples) b.putShort(toPcm16(v));
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.write(file, b.array());
    }

    /**
     * Writes a canonical 44-byte RIFF/WAVE header for {@code frames} frames; {@code format} is
     * 1 (integer PCM) or 3 (IEEE float). Package-private so tests can build other layouts.
     */
    static void header(ByteBuffer b, int frames, int rate, int channels, int bits, int format) {
        int blockAlign = channels * bits / 8, dataBytes = frames * blockAlign;
        b.put("RIFF".getBytes(US_ASCII)).putInt(36 + dataBytes)
                .put("WAVEfmt ".getBytes(US_ASCII)).putInt(16)
                .putShort((short) format).putShort((short) channels).putInt(rate)
                .putInt(rate * blockAlign).putShort((short) blockAlign).putShort((short) bits)
                .put("data".getBytes(US_ASCII)).putInt(dataBytes);
    }

    /** round(v * 32768) clamped to the 16-bit range; NaN maps to 0. */
    static short toPcm16(float v) {
        if (Float.isNaN(v)) return 0;
        long s = Math.round(v * 32768.0);
        return (short) Math.max(-32768, Math.min(32767, s));
    }
}
