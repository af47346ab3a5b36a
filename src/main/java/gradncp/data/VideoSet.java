package gradncp.data;

import java.util.List;

/**
 * A set of video clips of T frames of H x W pixels and C channels (1 grey or 3 RGB), each a
 * channel-last {@code float[T*H*W*C]} in [0, 1] with index {@code ((t*H + h)*W + w)*C + c}.
 * Point i = (t*H + h)*W + w matches {@link Video#videoCoords(int, int, int)}, and frame t is the
 * contiguous block [t*H*W*C, (t+1)*H*W*C).
 *
 * @param clips the values, one array per clip (not copied: treat as read-only)
 * @param names where each clip came from (folder, file, generator), for messages
 */
public record VideoSet(float[][] clips, int frames, int height, int width, int channels, List<String> names) {
    public VideoSet {
        if (frames < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("video size must be positive, got T=" + frames
                    + " H=" + height + " W=" + width);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (names.size() != clips.length) {
            throw new IllegalArgumentException(clips.length + " clips but " + names.size() + " names");
        }
        long expected = (long) frames * height * width * channels;
        for (int i = 0; i < clips.length; i++) {
            if (clips[i].length != expected) {
                throw new IllegalArgumentException("clip " + names.get(i) + " has " + clips[i].length
                        + " values, expected T*H*W*C = " + expected);
            }
        }
        names = List.copyOf(names);
    }

    /** Number of clips. */
    public int size() {
        return clips.length;
    }

    /** Points per clip, T*H*W. */
    public int points() {
        return frames * height * width;
    }

    /** Values per frame, H*W*C. */
    public int frameSize() {
        return height * width * channels;
    }

    public float[] clip(int i) {
        return clips[i];
    }

    /** A copy of frame {@code t} of clip {@code i}, [H*W*C]. */
    public float[] frame(int i, int t) {
        float[] f = new float[frameSize()];
        System.arraycopy(clips[i], t * frameSize(), f, 0, frameSize());
        return f;
    }

    @Override public String toString() {
        return "VideoSet[" + size() + " x " + frames + "x" + height + "x" + width + "x" + channels + "]";
    }
}
