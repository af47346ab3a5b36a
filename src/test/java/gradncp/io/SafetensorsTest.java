package gradncp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.io.Safetensors.Entry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
    @TempDir Path dir;

    private static Map<String, Entry> sample() {
        Random rng = new Random(7);
        var m = new LinkedHashMap<String, Entry>();
        float[] w = new float[6];
        for (int i = 0; i < w.length; i++) w[i] = rng.nextFloat() - 0.5f;
        m.put("z.weight", Entry.f32(new int[] {2, 3}, w));
        m.put("a.bias", new Entry("F64", new int[] {3}, new double[] {Math.PI, -1e-300, 7}));
        m.put("scalar", new Entry("F32", new int[] {}, new double[] {0.25}));
        return m;
    }

    @Test
    void roundTripKeepsOrderValuesAndMetadata() throws IOException {
        Path f = dir.resolve("sub/ckpt.safetensors");
        Safetensors.write(f, sample(), Map.of("format", "gradncp/1", "config", "{\"a\":1}"));
        var back = Safetensors.read(f);
        assertEquals(List.of("z.weight", "a.bias", "scalar"), List.copyOf(back.tensors().keySet()));
        assertEquals(sample(), back.tensors());
        assertEquals("gradncp/1", back.metadata().get("format"));
        assertEquals("{\"a\":1}", back.metadata().get("config"));
        long n = ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header length must be padded to a multiple of 8");
        try (var files = Files.list(f.getParent())) {
            assertEquals(1, files.count(), "temp file left behind");
        }
    }

    @Test
    void overwriteReplacesFile() throws IOException {
        Path f = dir.resolve("x.safetensors");
        Safetensors.write(f, sample(), Map.of());
        var one = Map.of("w", Entry.f32(new int[] {1}, new float[] {3f}));
        Safetensors.write(f, one, Map.of());
        assertEquals(one, Safetensors.read(f).tensors());
        assertTrue(Safetensors.read(f).metadata().isEmpty());
    }

    @Test
    void readsFileWrittenByPyTorchReference() throws IOException {
        Path f = dir.resolve("init.safetensors");
        try (InputStream in = getClass().getResourceAsStream("/golden/init_d3_w16.safetensors")) {
            Files.copy(in, f);
        }
        var t = Safetensors.read(f).tensors();
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight",
                "layers.1.bias", "layers.2.weight", "layers.2.bias"), List.copyOf(t.keySet()));
        assertArrayEquals(new int[] {16, 2}, t.get("layers.0.weight").shape());
        assertArrayEquals(new int[] {3, 16}, t.get("layers.2.weight").shape());
        double[] w0 = t.get("layers.0.weight").data();
        assertEquals(0.47343289479613304, sum(w0), 1e-12);
        assertEquals(0.4700529873371124, w0[0], 0.0);
        assertEquals(0.1305903196334839, w0[w0.length - 1], 0.0);
        double[] b2 = t.get("layers.2.bias").data();
        assertEquals(-0.0008110554190352559, sum(b2), 1e-15);
        assertEquals(0.013307707384228706, b2[2], 0.0);
    }

    @Test
    void randomFileIsNotSafetensors() throws IOException {
        Path f = dir.resolve("random.bin");
        byte[] junk = new byte[4096];
        new Random(1).nextBytes(junk);
        Files.write(f, junk);
        var e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().startsWith("not a safetensors file: "), e.getMessage());
        assertTrue(e.getMessage().contains("random.bin"), e.getMessage());
    }

    @Test
    void truncatedFileNamesTensorAndOffsets() throws IOException {
        Path f = dir.resolve("t.safetensors");
        Safetensors.write(f, sample(), Map.of());
        byte[] all = Files.readAllBytes(f);
        Files.write(f, java.util.Arrays.copyOf(all, all.length - 5));
        var e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("outside the data section"), e.getMessage());
    }

    @Test
    void shapeByteMismatchAndBadDtypeAreReported() throws IOException {
        Path f = dir.resolve("bad.safetensors");
        writeRaw(f, "{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8);
        var e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("tensor 'w' has shape [3]"), e.getMessage());
        writeRaw(f, "{\"w\":{\"dtype\":\"BF16\",\"shape\":[4],\"data_offsets\":[0,8]}}", 8);
        e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("dtype 'BF16'"), e.getMessage());
    }

    @Test
    void headerLengthLargerThanFileIsRejected() throws IOException {
        Path f = dir.resolve("short.safetensors");
        Files.write(f, new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        var e = assertThrows(IOException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().contains("declares a header of 255 bytes"), e.getMessage());
    }

    private static void writeRaw(Path f, String header, int dataBytes) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Files.write(f, b.array());
    }

    private static double sum(double[] a) {
        double s = 0;
        for (double v : a) s += v;
        return s;
    }
}
