package gradncp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .npz writer produces NumPy 1.0 headers (64-byte aligned) and little-endian data. */
class NpzTest {
    @Test
    void writesAlignedHeadersAndLittleEndianData(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("a.npz");
        try (Npz z = new Npz(f)) {
            z.floats("params", 2, 3, List.of(new float[] {1, 2, 3}, new float[] {4, 5, -6.5f}).iterator());
            z.longs("labels", new long[] {7, -1});
            z.strings("paths", new String[] {"a", "bcd"});
        }
        try (ZipFile zip = new ZipFile(f.toFile())) {
            byte[] p = zip.getInputStream(zip.getEntry("params.npy")).readAllBytes();
            String header = header(p);
            assertTrue(header.contains("'descr': '<f4'") && header.contains("'shape': (2, 3)"), header);
            ByteBuffer b = data(p);
            assertEquals(1f, b.getFloat(0));
            assertEquals(-6.5f, b.getFloat(20));
            assertEquals(24, b.remaining());
            byte[] l = zip.getInputStream(zip.getEntry("labels.npy")).readAllBytes();
            assertTrue(header(l).contains("'shape': (2,)"));
            assertEquals(-1L, data(l).getLong(8));
            byte[] s = zip.getInputStream(zip.getEntry("paths.npy")).readAllBytes();
            assertTrue(header(s).contains("'descr': '<U3'"), header(s));
            assertEquals(24, data(s).remaining());
            assertEquals('d', data(s).getInt(20));
        }
    }

    private static String header(byte[] npy) {
        assertEquals((byte) 0x93, npy[0]);
        int len = (npy[8] & 255) | (npy[9] & 255) << 8;
        assertEquals(0, (10 + len) % 64, "header is 64-byte aligned");
        return new String(npy, 10, len, StandardCharsets.US_ASCII);
    }

    private static ByteBuffer data(byte[] npy) {
        int len = (npy[8] & 255) | (npy[9] & 255) << 8;
        return ByteBuffer.wrap(npy, 10 + len, npy.length - 10 - len).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
}
