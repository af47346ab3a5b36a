package gradncp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gradncp.run.TensorBoardLog;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train} writes a TensorBoard event file next to metrics.jsonl. The file is read back here
 * by a parser that shares nothing with the writer (its own CRC-32C, its own protobuf wire
 * reader): every record's two CRCs are valid, the first event is the file version, the config is
 * there as text, and the scalar events are the metrics.jsonl rows, in order, value for value.
 */
class TensorBoardCliTest {
    /** One parsed Event: its step, file_version (or null), scalars by tag, texts by tag. */
    record Ev(long step, String version, Map<String, Float> scalars, Map<String, String> texts) {}

    @Test
    void eventFileHoldsTheMetricsRowsAndTheConfig(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        // stopped after 4 steps and resumed: both invocations append to the same files
        assertEquals(0, TrainCliTest.run(TrainCliTest.train(out, "--log-every", "1", "--set", "evalEvery=3",
                "--stop-after", "4")).code());
        TrainCliTest.Run second = TrainCliTest.run(TrainCliTest.train(out, "--log-every", "1", "--set", "evalEvery=3"));
        assertEquals(0, second.code(), second.err());

        List<Ev> events = parse(Files.readAllBytes(out.resolve(TensorBoardLog.FILE)));
        assertEquals("brain.Event:2", events.get(0).version());
        List<Ev> configs = events.stream().filter(e -> e.texts().containsKey("config")).toList();
        assertEquals(2, configs.size(), "one config text per invocation");
        assertTrue(configs.get(0).texts().get("config").contains("outerSteps = 6"), configs.get(0).texts().toString());
        assertEquals(4, configs.get(1).step(), "the resumed invocation records its config at the resumed step");

        List<Ev> scalars = events.stream().filter(e -> !e.scalars().isEmpty()).toList();
        List<JsonNode> rows = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(out.resolve("metrics.jsonl"))) {
            rows.add(json.readTree(line));
        }
        assertEquals(rows.size(), scalars.size(), "one scalar event per metrics row");
        int evals = 0;
        for (int i = 0; i < rows.size(); i++) {
            JsonNode row = rows.get(i);
            Ev ev = scalars.get(i);
            assertEquals(row.get("step").asLong(), ev.step(), "row " + i);
            boolean eval = row.has("test_psnr_plain");
            evals += eval ? 1 : 0;
            Map<String, Float> expected = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = row.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getKey().equals("step") && f.getValue().isNumber()) {
                    expected.put((eval ? "eval/" : "train/") + f.getKey(), (float) f.getValue().asDouble());
                }
            }
            assertEquals(expected, ev.scalars(), "row " + i);
        }
        assertEquals(2, evals, "the evaluation at step 3 and the final one at step 6");
        assertTrue(scalars.get(0).scalars().keySet().containsAll(List.of("train/loss", "train/psnr_out",
                "train/distance", "train/ms", "train/peak_engine_bytes")), scalars.get(0).scalars().toString());
    }

    @Test
    void resumeCutsEventsWrittenAfterTheCheckpoint(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(0, TrainCliTest.run(TrainCliTest.train(a, "--log-every", "1")).code());
        assertEquals(0, TrainCliTest.run(TrainCliTest.train(b, "--log-every", "1", "--stop-after", "3")).code());
        // What a run killed after its checkpoint at step 3 leaves behind: the records of steps it
        // logged after that checkpoint (here: a copy of the file's last record, step 3 again).
        Path events = b.resolve(TensorBoardLog.FILE);
        byte[] before = Files.readAllBytes(events);
        int last = lastRecordStart(before);
        Files.write(events, java.util.Arrays.copyOfRange(before, last, before.length),
                java.nio.file.StandardOpenOption.APPEND);
        assertEquals(0, TrainCliTest.run(TrainCliTest.train(b, "--log-every", "1")).code());
        assertEquals(steps(a), steps(b), "each step's scalars once, in order, as in the uninterrupted run");
    }

    /** The steps and tags of the scalar events of a run's event file, in order. */
    static List<String> steps(Path out) throws Exception {
        return parse(Files.readAllBytes(out.resolve(TensorBoardLog.FILE))).stream()
                .filter(e -> !e.scalars().isEmpty()).map(e -> e.step() + " " + e.scalars().keySet()).toList();
    }

    /** The offset of the last TFRecord in a file (records: 8-byte length, 4-byte CRC, data, 4-byte CRC). */
    static int lastRecordStart(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int start = 0;
        while (b.hasRemaining()) {
            start = b.position();
            b.position(start + 12 + (int) b.getLong(start) + 4);
        }
        return start;
    }

    @Test
    void noTensorboardWritesNoEventFile(@TempDir Path dir) {
        Path out = dir.resolve("run");
        assertEquals(0, TrainCliTest.run(TrainCliTest.train(out, "--no-tensorboard", "--set", "outerSteps=2")).code());
        assertTrue(Files.exists(out.resolve("metrics.jsonl")));
        assertFalse(Files.exists(out.resolve(TensorBoardLog.FILE)));
    }

    @Test
    void aFlippedBitFailsTheCrc(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        assertEquals(0, TrainCliTest.run(TrainCliTest.train(out, "--set", "outerSteps=2", "--log-every", "1")).code());
        byte[] b = Files.readAllBytes(out.resolve(TensorBoardLog.FILE));
        parse(b);
        byte[] bad = b.clone();
        bad[b.length - 10] ^= 0x10; // inside the last record's data
        assertThrows(IllegalStateException.class, () -> parse(bad));
        byte[] badLength = b.clone();
        badLength[0] ^= 0x01; // the first record's length
        assertThrows(IllegalStateException.class, () -> parse(badLength));
    }

    @Test
    void crc32cMatchesTheKnownCheckValue() {
        // CRC-32C of the ASCII digits "123456789" is 0xE3069283 (RFC 3720 parameters)
        assertEquals(0xE3069283, crc32c("123456789".getBytes(StandardCharsets.US_ASCII), 0, 9));
    }

    // ---- an independent TFRecord + Event reader --------------------------------------------------

    static List<Ev> parse(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        List<Ev> out = new ArrayList<>();
        while (b.hasRemaining()) {
            int start = b.position();
            long len = b.getLong();
            int lenCrc = b.getInt();
            if (lenCrc != masked(crc32c(file, start, 8))) {
                throw new IllegalStateException("length CRC mismatch at byte " + start);
            }
            if (len < 0 || len > b.remaining() - 4) {
                throw new IllegalStateException("record length " + len + " past the end at byte " + start);
            }
            int off = b.position();
            b.position(off + (int) len);
            if (b.getInt() != masked(crc32c(file, off, (int) len))) {
                throw new IllegalStateException("data CRC mismatch in the record at byte " + start);
            }
            out.add(event(new Wire(file, off, off + (int) len)));
        }
        return out;
    }

    static int masked(int crc) {
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    /** Bitwise CRC-32C (Castagnoli, reflected polynomial 0x82F63B78). */
    static int crc32c(byte[] d, int off, int len) {
        int c = 0xFFFFFFFF;
        for (int i = off; i < off + len; i++) {
            c ^= d[i] & 0xFF;
            for (int k = 0; k < 8; k++) {
                c = (c >>> 1) ^ (0x82F63B78 & -(c & 1));
            }
        }
        return ~c;
    }

    /** Event: 1 wall_time (double), 2 step (varint), 3 file_version (string), 5 summary. */
    static Ev event(Wire w) {
        long step = 0;
        String version = null;
        Map<String, Float> scalars = new LinkedHashMap<>();
        Map<String, String> texts = new LinkedHashMap<>();
        while (w.more()) {
            int key = (int) w.varint();
            switch (key) {
                case (1 << 3) | 1 -> w.skip(8);
                case (2 << 3) -> step = w.varint();
                case (3 << 3) | 2 -> version = new String(w.bytes(), StandardCharsets.UTF_8);
                case (5 << 3) | 2 -> summary(w.sub(), scalars, texts);
                default -> throw new IllegalStateException("unexpected Event field key " + key);
            }
        }
        return new Ev(step, version, scalars, texts);
    }

    /** Summary: 1 value (repeated); Value: 1 tag, 2 simple_value (float), 8 tensor, 9 metadata. */
    static void summary(Wire w, Map<String, Float> scalars, Map<String, String> texts) {
        while (w.more()) {
            if (w.varint() != ((1 << 3) | 2)) {
                throw new IllegalStateException("unexpected Summary field");
            }
            Wire v = w.sub();
            String tag = null;
            Float simple = null;
            String text = null;
            while (v.more()) {
                int key = (int) v.varint();
                switch (key) {
                    case (1 << 3) | 2 -> tag = new String(v.bytes(), StandardCharsets.UTF_8);
                    case (2 << 3) | 5 -> simple = Float.intBitsToFloat(v.fixed32());
                    case (8 << 3) | 2 -> text = stringVal(v.sub());
                    case (9 << 3) | 2 -> v.bytes(); // metadata (the plugin name)
                    default -> throw new IllegalStateException("unexpected Summary.Value field key " + key);
                }
            }
            if (simple != null) {
                scalars.put(tag, simple);
            } else {
                texts.put(tag, text);
            }
        }
    }

    /** TensorProto: the first string_val (field 8); dtype (1) and shape (2) skipped. */
    static String stringVal(Wire t) {
        String s = null;
        while (t.more()) {
            int key = (int) t.varint();
            switch (key & 7) {
                case 0 -> t.varint();
                case 2 -> {
                    byte[] b = t.bytes();
                    if (key >>> 3 == 8 && s == null) {
                        s = new String(b, StandardCharsets.UTF_8);
                    }
                }
                default -> throw new IllegalStateException("unexpected TensorProto wire type in key " + key);
            }
        }
        return s;
    }

    /** Protobuf wire format over bytes [pos, end). */
    static final class Wire {
        final byte[] d;
        int pos;
        final int end;

        Wire(byte[] d, int pos, int end) {
            this.d = d;
            this.pos = pos;
            this.end = end;
        }

        boolean more() {
            return pos < end;
        }

        long varint() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = d[pos++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
            }
        }

        int fixed32() {
            int v = (d[pos] & 0xFF) | (d[pos + 1] & 0xFF) << 8 | (d[pos + 2] & 0xFF) << 16 | (d[pos + 3] & 0xFF) << 24;
            pos += 4;
            return v;
        }

        void skip(int n) {
            pos += n;
        }

        byte[] bytes() {
            int n = (int) varint();
            byte[] b = java.util.Arrays.copyOfRange(d, pos, pos + n);
            pos += n;
            return b;
        }

        Wire sub() {
            int n = (int) varint();
            Wire w = new Wire(d, pos, pos + n);
            pos += n;
            return w;
        }
    }
}
