package gradncp.data;

import java.util.List;

/**
 * A set of audio clips of equal length, each a {@code float[samples]} of values in [0, 1]
 * (the waveform w in [-1, 1] mapped by (w + 1) / 2; ALGORITHM.md, Coordinates). Point i of a clip
 * is sample i, whose coordinate is {@link Audio#audioCoords(int)}[i].
 *
 * @param clips the samples, one array per clip (not copied: treat as read-only)
 * @param sampleRate samples per second, in Hz
 * @param samples the length L of every clip
 * @param names where each clip came from (file path), for messages
 */
public record AudioSet(float[][] clips, int sampleRate, int samples, List<String> names) {
    public AudioSet {
        if (sampleRate < 1) throw new IllegalArgumentException("sampleRate must be >= 1, got " + sampleRate);
        if (samples < 1) throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        if (names.size() != clips.length) {
            throw new IllegalArgumentException(clips.length + " clips but " + names.size() + " names");
        }
        for (int i = 0; i < clips.length; i++) {
            if (clips[i].length != samples) {
                throw new IllegalArgumentException("clip " + names.get(i) + " has " + clips[i].length
                        + " samples, expected " + samples);
            }
        }
        names = List.copyOf(names);
    }

    /** Number of clips. */
    public int size() {
        return clips.length;
    }

    public float[] clip(int i) {
        return clips[i];
    }

    /** Clip length in seconds. */
    public double seconds() {
        return (double) samples / sampleRate;
    }

    @Override public String toString() {
        return "AudioSet[" + size() + " x " + samples + " samples @ " + sampleRate + " Hz]";
    }
}
