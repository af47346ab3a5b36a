package gradncp.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of S square images of R x R pixels and C channels, each a channel-last
 * {@code float[R*R*C]} (index {@code (h*R + w)*C + c}) with values in [0, 1]. This is the
 * target layout of the neural field: point i = h*R + w matches the coordinate grid (ALGORITHM.md,
 * Coordinates), and the C values of a point are contiguous.
 *
 * @param images the pixels, one array per image (not copied: treat as read-only)
 * @param names where each image came from (file path, "idx:file#i", "text:seed#i"), for messages
 */
public record ImageSet(float[][] images, int resolution, int channels, List<String> names) {
    public ImageSet {
        if (resolution < 1) throw new IllegalArgumentException("resolution must be >= 1, got " + resolution);
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        if (names.size() != images.length) {
            throw new IllegalArgumentException(images.length + " images but " + names.size() + " names");
        }
        int expected = resolution * resolution * channels;
        for (int i = 0; i < images.length; i++) {
            if (images[i].length != expected) {
                throw new IllegalArgumentException("image " + names.get(i) + " has " + images[i].length
                        + " values, expected R*R*C = " + expected);
            }
        }
        names = List.copyOf(names);
    }

    /** Number of images S. */
    public int size() {
        return images.length;
    }

    /** Pixels per image, R*R. */
    public int points() {
        return resolution * resolution;
    }

    public float[] image(int i) {
        return images[i];
    }

    /** The images at {@code indices}, in that order. */
    public ImageSet subset(int[] indices) {
        float[][] sub = new float[indices.length][];
        var subNames = new ArrayList<String>(indices.length);
        for (int k = 0; k < indices.length; k++) {
            if (indices[k] < 0 || indices[k] >= images.length) {
                throw new IllegalArgumentException("index " + indices[k] + " out of range [0, "
                        + images.length + ")");
            }
            sub[k] = images[indices[k]];
            subNames.add(names.get(indices[k]));
        }
        return new ImageSet(sub, resolution, channels, subNames);
    }

    /** The first {@code n} images (all if n >= size). */
    public ImageSet head(int n) {
        int[] idx = new int[Math.min(n, size())];
        Arrays.setAll(idx, i -> i);
        return subset(idx);
    }

    /** The images stacked into one [S*R*R*C] array (for .npy export or batching). */
    public float[] flat() {
        int per = points() * channels;
        float[] out = new float[images.length * per];
        for (int i = 0; i < images.length; i++) System.arraycopy(images[i], 0, out, i * per, per);
        return out;
    }

    @Override public String toString() {
        return "ImageSet[" + size() + " x " + resolution + "x" + resolution + "x" + channels + "]";
    }
}
