package gradncp.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format 1.0/2.0, https://numpy.org/doc/stable/reference/generated/
 * numpy.lib.format.html): magic {@code \x93NUMPY}, version, a little-endian header length, an
 * ASCII dict {@code {'descr': '<f4', 'fortran_order': False, 'shape': (S, R, R, C), }}, then
 * C-order data. Reads little-endian float32/float64 and uint8 (divided by 255, the reference's
 * golden-data convention); writes float32 in format 1.0.
 */
public final class Npy {
    /** An array: its shape and its values (as float). */
    public record Array(int[] shape, float[] data) {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** Reads a float32, float64 or uint8 (scaled by 1/255) array. */
    public static Array read(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        if (b.length < 10 || !Arrays.equals(Arrays.copyOf(b, 6), MAGIC)) {
            throw new IOException("not a .npy file: " + file + " (missing \\x93NUMPY magic)");
        }
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int major = b[6];
        int headerLen = major == 1 ? Short.toUnsignedInt(buf.getShort(8)) : buf.getInt(8);
        int start = major == 1 ? 10 : 12;
        if (major < 1 || major > 3 || start + headerLen > b.length) {
            throw new IOException(".npy file " + file + " has version " + major
                    + " or header length " + headerLen + " that does not fit the file");
        }
        String header = new String(b, start, headerLen, StandardCharsets.ISO_8859_1);
        String descr = find(DESCR, header, "descr", file);
        if (find(FORTRAN, header, "fortran_order", file).equals("True")) {
            throw new IOException(".npy file " + file + " is Fortran-ordered; save it with "
                    + "np.save(path, np.ascontiguousarray(a))");
        }
        int[] shape = Arrays.stream(find(SHAPE, header, "shape", file).split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        long n = 1;
        for (int d : shape) n *= d;
        int width = switch (descr) {
            case "<f4" -> 4;
            case "<f8" -> 8;
            case "|u1", "<u1" -> 1;
            default -> throw new IOException(".npy file " + file + " has dtype '" + descr
                    + "'; supported: <f4 (float32), <f8 (float64), |u1 (uint8)");
        };
        int dataStart = start + headerLen;
        if (n * width != b.length - dataStart) {
            throw new IOException(".npy file " + file + " has shape " + Arrays.toString(shape)
                    + " of " + descr + " (" + n * width + " bytes) but " + (b.length - dataStart)
                    + " data bytes (truncated?)");
        }
        float[] data = new float[(int) n];
        buf.position(dataStart);
        for (int i = 0; i < data.length; i++) {
            data[i] = switch (width) {
                case 4 -> buf.getFloat();
                case 8 -> (float) buf.getDouble();
                default -> (buf.get() & 0xff) / 255f;
            };
        }
        return new Array(shape, data);
    }

    /** Reads [S, R, R, C] (or [S, R, R], grey) images; C must be 1 or 3. */
    public static ImageSet readImages(Path file) throws IOException {
        Array a = read(file);
        int[] s = a.shape();
        if (!(s.length == 4 || s.length == 3) || s[1] != s[2] || (s.length == 4 && s[3] != 1 && s[3] != 3)) {
            throw new IOException(".npy file " + file + " has shape " + Arrays.toString(s)
                    + "; images must be [S, R, R, C] with C = 1 or 3 (channel-last), or [S, R, R]");
        }
        int c = s.length == 4 ? s[3] : 1, per = s[1] * s[2] * c;
        float[][] images = new float[s[0]][];
        var names = new ArrayList<String>(s[0]);
        for (int i = 0; i < s[0]; i++) {
            images[i] = Arrays.copyOfRange(a.data(), i * per, (i + 1) * per);
            names.add(file + "#" + i);
        }
        return new ImageSet(images, s[1], c, names);
    }

    /** Writes a little-endian float32 C-order array (format 1.0, header padded to 64 bytes). */
    public static void write(Path file, int[] shape, float[] data) throws IOException {
        long n = 1;
        for (int d : shape) n *= d;
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n
                    + " elements but data has " + data.length);
        }
        StringBuilder dims = new StringBuilder();
        for (int d : shape) dims.append(d).append(", ");
        String tuple = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + (shape.length == 0 ? "" : dims.substring(0, dims.length() - 2)) + ")";
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + tuple + ", }";
        int total = (10 + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(total - 10 - dict.length() - 1) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(total + 4 * data.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float v : data) buf.putFloat(v);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.write(file, buf.array());
    }

    /** Writes an image set as [S, R, R, C] float32. */
    public static void writeImages(Path file, ImageSet set) throws IOException {
        write(file, new int[] {set.size(), set.resolution(), set.resolution(), set.channels()}, set.flat());
    }

    private static String find(Pattern p, String header, String key, Path file) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) throw new IOException(".npy file " + file + " header has no '" + key + "': " + header.trim());
        return m.group(1);
    }
}
