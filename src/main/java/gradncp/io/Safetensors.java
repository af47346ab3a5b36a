package gradncp.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Reads and writes the <a href="https://github.com/huggingface/safetensors">safetensors</a> format:
 * an unsigned 64-bit little-endian header length {@code n}, then {@code n} bytes of UTF-8 JSON
 * {@code {name: {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {str: str}}}
 * (offsets relative to the first byte after the header, header padded with spaces to a multiple
 * of 8), then the raw little-endian, C-order tensor bytes.
 *
 * <p>This is the checkpoint format of the project (STYLE 3.7) because the files load in Python
 * with no code of ours, which makes cross-checks against the PyTorch reference trivial. Only
 * {@code F32} and {@code F64} are supported: that is all a SIREN checkpoint needs. Tensor order is
 * kept as in the file (a {@link LinkedHashMap}). Writes are atomic: a temp file in the target
 * directory is written, fsynced and then moved over the target, so a crash never leaves a
 * half-written checkpoint.
 */
public final class Safetensors {
    /** Largest header accepted; real headers are a few KiB, so anything larger is corruption. */
    static final long MAX_HEADER_BYTES = 100L << 20;

    private static final String METADATA_KEY = "__metadata__";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Safetensors() {}

    /**
     * One tensor. {@code dtype} is "F32" or "F64" and decides how it is written; values are held
     * as doubles either way (an F32 value converts to double exactly).
     */
    public record Entry(String dtype, int[] shape, double[] data) {
        public Entry {
            Objects.requireNonNull(dtype, "dtype");
            if (!dtype.equals("F32") && !dtype.equals("F64")) {
                throw new IllegalArgumentException(
                        "dtype must be F32 or F64, got '" + dtype + "'");
            }
            shape = shape.clone();
            long n = numel(shape, "shape");
            if (n != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has " + n
                        + " elements but data has " + data.length);
            }
        }

        /** An F32 entry from float values. */
        public static Entry f32(int[] shape, float[] values) {
            double[] d = new double[values.length];
            for (int i = 0; i < d.length; i++) d[i] = values[i];
            return new Entry("F32", shape, d);
        }

        /** The values narrowed to float (exact for F32 entries). */
        public float[] floatData() {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
            return f;
        }

        @Override public int[] shape() { return shape.clone(); }

        int bytesPerElement() { return dtype.equals("F32") ? 4 : 8; }

        @Override public boolean equals(Object o) {
            return o instanceof Entry e && dtype.equals(e.dtype) && Arrays.equals(shape, e.shape)
                    && Arrays.equals(data, e.data);
        }

        @Override public int hashCode() {
            return Objects.hash(dtype, Arrays.hashCode(shape), Arrays.hashCode(data));
        }

        @Override public String toString() {
            return "Entry[" + dtype + " " + Arrays.toString(shape) + "]";
        }
    }

    /** A whole file: tensors in file order, and the string metadata (empty if absent). */
    public record Contents(Map<String, Entry> tensors, Map<String, String> metadata) {
        public Contents {
            tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
            metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        }
    }

    /** Reads and validates {@code file}; errors name the file and what was wrong. */
    public static Contents read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(file + ": " + (Files.isDirectory(file) ? "is a directory" : e.getMessage()), e);
        }
        if (bytes.length < 8) {
            throw new IOException("not a safetensors file: " + file + " has " + bytes.length
                    + " bytes, fewer than the 8-byte header length");
        }
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 2 || n > MAX_HEADER_BYTES || n > bytes.length - 8L) {
            throw new IOException("not a safetensors file: " + file + " declares a header of "
                    + Long.toUnsignedString(n) + " bytes but the file has " + bytes.length
                    + " bytes (truncated or not safetensors)");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) n, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IOException("not a safetensors file: " + file
                    + ": header is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (header == null || !header.isObject()) {
            throw new IOException("not a safetensors file: " + file + ": header is not a JSON object");
        }
        int base = 8 + (int) n;
        long dataLen = bytes.length - (long) base;
        var tensors = new LinkedHashMap<String, Entry>();
        var metadata = new LinkedHashMap<String, String>();
        for (Map.Entry<String, JsonNode> field : header.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                field.getValue().properties().forEach(m -> metadata.put(m.getKey(),
                        m.getValue().isTextual() ? m.getValue().asText() : m.getValue().toString()));
                continue;
            }
            tensors.put(field.getKey(), readEntry(file, field.getKey(), field.getValue(),
                    bytes, base, dataLen));
        }
        return new Contents(tensors, metadata);
    }

    private static Entry readEntry(Path file, String name, JsonNode m, byte[] bytes, int base,
            long dataLen) throws IOException {
        String where = file + ": tensor '" + name + "'";
        String dtype = m.path("dtype").asText("");
        if (!dtype.equals("F32") && !dtype.equals("F64")) {
            throw new IOException(where + " has dtype '" + dtype
                    + "'; only F32 and F64 are supported (convert with torch .float())");
        }
        JsonNode shapeNode = m.path("shape");
        JsonNode offsets = m.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new IOException(where + " needs a 'shape' array and 'data_offsets' [begin, end]");
        }
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            long d = shapeNode.get(i).asLong(-1);
            if (!shapeNode.get(i).canConvertToInt() || d < 0) {
                throw new IOException(where + " has a bad dimension " + shapeNode.get(i));
            }
            shape[i] = (int) d;
        }
        long begin = offsets.get(0).asLong(-1), end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataLen) {
            throw new IOException(where + " has data_offsets [" + begin + ", " + end
                    + "] outside the data section of " + dataLen + " bytes (file truncated?)");
        }
        int width = dtype.equals("F32") ? 4 : 8;
        long numel = numel(shape, where);
        if (numel * width != end - begin) {
            throw new IOException(where + " has shape " + Arrays.toString(shape) + " (" + numel
                    + " x " + width + " bytes) but data_offsets span " + (end - begin) + " bytes");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, base + (int) begin, (int) (end - begin))
                .order(ByteOrder.LITTLE_ENDIAN);
        double[] data = new double[(int) numel];
        for (int i = 0; i < data.length; i++) {
            data[i] = width == 4 ? buf.getFloat() : buf.getDouble();
        }
        return new Entry(dtype, shape, data);
    }

    /**
     * Writes tensors (in map order) and metadata to {@code file} atomically: temp file in the same
     * directory, fsync, then an atomic rename over {@code file}.
     */
    public static void write(Path file, Map<String, Entry> tensors, Map<String, String> metadata)
            throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (var e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name '" + METADATA_KEY + "' is reserved");
            }
            Entry t = e.getValue();
            ObjectNode node = header.putObject(e.getKey());
            node.put("dtype", t.dtype());
            ArrayNode shape = node.putArray("shape");
            for (int d : t.shape) shape.add(d);
            long size = (long) t.data.length * t.bytesPerElement();
            node.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) / 8 * 8;
        if (8L + padded + offset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("safetensors file would exceed 2 GiB: " + file);
        }
        ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(json);
        for (int i = json.length; i < padded; i++) out.put((byte) ' ');
        for (Entry t : tensors.values()) {
            for (double v : t.data) {
                if (t.bytesPerElement() == 4) out.putFloat((float) v); else out.putDouble(v);
            }
        }
        writeAtomically(file, out.flip());
    }

    /**
     * Writes {@code content} to a temp file beside {@code file} ({@code .NAME.RANDOM.tmp}, created
     * with the process's default permissions, like any other output), fsyncs, and renames it over.
     * An I/O failure names the file.
     */
    static void writeAtomically(Path file, ByteBuffer content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = null;
        try {
            FileChannel ch = null;
            while (ch == null) {
                tmp = dir.resolve("." + target.getFileName() + "."
                        + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36)
                        + ".tmp");
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (java.nio.file.FileAlreadyExistsException e) {
                    // another writer's temp name: draw again
                }
            }
            try (FileChannel c = ch) {
                while (content.hasRemaining()) c.write(content);
                c.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(target + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static long numel(int[] shape, String what) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException(what + ": negative dimension " + d);
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + ": more than 2^31 elements");
            }
        }
        return n;
    }
}
