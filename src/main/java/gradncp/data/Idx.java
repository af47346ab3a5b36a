package gradncp.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.zip.GZIPInputStream;

/**
 * Reader for IDX image files, the format of MNIST and Fashion-MNIST
 * (http://yann.lecun.com/exdb/mnist/): big-endian int32 magic 0x00000803 (unsigned bytes,
 * 3 dimensions), then the sizes N, rows, cols as big-endian int32, then N*rows*cols unsigned
 * bytes, row-major. Gzipped files ({@code .gz}) are detected by their magic bytes, not by name.
 * Values are divided by 255 and the result is grey (C = 1).
 */
public final class Idx {
    /** Magic of an IDX file of unsigned bytes with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;

    private Idx() {}

    /**
     * Reads at most {@code limit} images (0 = all) and resizes them to {@code resolution}
     * (centre-cropped first if not square); {@code resolution} 0 keeps the native size.
     */
    public static ImageSet readImages(Path file, int resolution, int limit) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("IDX file not found: " + file.toAbsolutePath());
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(file), 1 << 16))) {
            int magic = in.readInt();
            if (magic != IMAGES_MAGIC) {
                throw new IOException("not an IDX image file: " + file + " starts with magic 0x"
                        + String.format("%08x", magic) + ", expected 0x00000803 (a labels file is 0x801)");
            }
            int n = in.readInt(), rows = in.readInt(), cols = in.readInt();
            if (n < 0 || rows < 1 || cols < 1 || (long) rows * cols > 1 << 26) {
                throw new IOException("IDX file " + file + " has implausible sizes " + n + " x "
                        + rows + " x " + cols);
            }
            int count = limit > 0 ? Math.min(limit, n) : n;
            int r = resolution > 0 ? resolution : Math.min(rows, cols);
            byte[] raw = new byte[rows * cols];
            float[][] images = new float[count][];
            var names = new ArrayList<String>(count);
            for (int i = 0; i < count; i++) {
                try {
                    in.readFully(raw);
                } catch (EOFException e) {
                    throw new IOException("IDX file " + file + " is truncated: it declares " + n
                            + " images but ends inside image " + i, e);
                }
                float[] img = new float[raw.length];
                for (int k = 0; k < raw.length; k++) img[k] = (raw[k] & 0xff) / 255f;
                images[i] = Resize.squareResize(img, rows, cols, 1, r);
                names.add(file + "#" + i);
            }
            return new ImageSet(images, r, 1, names);
        }
    }

    /** Magic of an IDX file of unsigned bytes with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    /** Reads an IDX labels file (magic 0x00000801): N unsigned bytes after the size N. */
    public static int[] readLabels(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("IDX labels file not found: " + file.toAbsolutePath());
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(open(file), 1 << 16))) {
            int magic = in.readInt();
            if (magic != LABELS_MAGIC) {
                throw new IOException("not an IDX labels file: " + file + " starts with magic 0x"
                        + String.format("%08x", magic) + ", expected 0x00000801");
            }
            int n = in.readInt();
            if (n < 0) throw new IOException("IDX labels file " + file + " declares " + n + " labels");
            byte[] raw = new byte[n];
            try {
                in.readFully(raw);
            } catch (EOFException e) {
                throw new IOException("IDX labels file " + file + " is truncated: it declares " + n + " labels", e);
            }
            int[] out = new int[n];
            for (int i = 0; i < n; i++) out[i] = raw[i] & 0xff;
            return out;
        }
    }

    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file));
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
