package gradncp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyIdxTest {
    @TempDir Path dir;

    private Path golden(String name) throws IOException {
        Path to = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/golden/" + name)) {
            Files.copy(in, to);
        }
        return to;
    }

    @Test
    void readsNumpyUint8AsDividedBy255() throws IOException {
        ImageSet set = Npy.readImages(golden("u8_2x3x3x1.npy"));
        assertEquals(2, set.size());
        assertEquals(3, set.resolution());
        assertEquals(1, set.channels());
        assertEquals(17 * 15 / 255f, set.image(1)[8], 1e-7f);
    }

    @Test
    void readsNumpyFloat32AndRoundTrips() throws IOException {
        ImageSet set = Npy.readImages(golden("f4_2x2x2x3.npy"));
        assertEquals(3, set.channels());
        assertEquals(23 / 23f, set.image(1)[11], 0f);
        assertEquals(13 / 23f, set.image(1)[1], 0f);
        Npy.writeImages(dir.resolve("out.npy"), set);
        assertEquals(0, Files.size(dir.resolve("out.npy")) % 4);
        ImageSet back = Npy.readImages(dir.resolve("out.npy"));
        assertArrayEquals(set.flat(), back.flat(), 0f);
        Npy.Array a = Npy.read(dir.resolve("out.npy"));
        assertArrayEquals(new int[] {2, 2, 2, 3}, a.shape());
    }

    @Test
    void npyErrorsNameTheFile() throws IOException {
        Files.writeString(dir.resolve("x.npy"), "hello world, not numpy");
        var e = assertThrows(IOException.class, () -> Npy.read(dir.resolve("x.npy")));
        assertTrue(e.getMessage().startsWith("not a .npy file: ") && e.getMessage().contains("x.npy"));
        Npy.write(dir.resolve("v.npy"), new int[] {5}, new float[5]);
        e = assertThrows(IOException.class, () -> Npy.readImages(dir.resolve("v.npy")));
        assertTrue(e.getMessage().contains("[S, R, R, C]"), e.getMessage());
    }

    private Path writeIdx(String name, int n, int rows, int cols, int bytes) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(f));
                DataOutputStream out = new DataOutputStream(os)) {
            out.writeInt(0x803);
            out.writeInt(n);
            out.writeInt(rows);
            out.writeInt(cols);
            for (int i = 0; i < bytes; i++) out.writeByte(i * 7);
        }
        return f;
    }

    @Test
    void readsGzippedIdxWithResizeAndLimit() throws IOException {
        Path f = writeIdx("t.gz", 3, 4, 4, 48);
        ImageSet set = Idx.readImages(f, 0, 0);
        assertEquals(3, set.size());
        assertEquals(4, set.resolution());
        assertEquals((17 * 7 & 0xff) / 255f, set.image(1)[1], 0f);
        ImageSet small = Idx.readImages(f, 2, 2);
        assertEquals(2, small.size());
        assertEquals(2, small.resolution());
    }

    @Test
    void truncatedOrWrongMagicIdxIsReported() throws IOException {
        var e = assertThrows(IOException.class, () -> Idx.readImages(writeIdx("short.gz", 3, 4, 4, 40), 0, 0));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("short.gz"), e.getMessage());
        Files.write(dir.resolve("labels"), new byte[] {0, 0, 8, 1, 0, 0, 0, 0});
        e = assertThrows(IOException.class, () -> Idx.readImages(dir.resolve("labels"), 0, 0));
        assertTrue(e.getMessage().contains("0x00000801"), e.getMessage());
    }

    @Test
    void sharedFashionMnistLoads() throws IOException {
        Path f = ImagesTest.sharedData().resolve("fashion-mnist/t10k-images-idx3-ubyte.gz");
        Assumptions.assumeTrue(Files.exists(f), "shared data not present: " + f);
        ImageSet set = Idx.readImages(f, 0, 0);
        assertEquals(10000, set.size());
        double sum = 0;
        for (float v : set.image(0)) sum += v;
        assertEquals(131.2, sum, 1e-4); // numpy: a[0].sum() / 255
        assertEquals(110 / 255f, set.image(0)[14 * 28 + 14], 0f);
    }
}
