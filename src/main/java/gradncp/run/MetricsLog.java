package gradncp.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A run's {@code metrics.jsonl}: one JSON row per line, appended. Every checkpoint records how many
 * rows the log had when it was written ({@link #ROWS_KEY}); a resumed run first cuts the log back
 * to that many rows, so rows written after the checkpoint (by a run that was then killed) are not
 * written twice, and the log equals an uninterrupted run's. When the run also keeps a TensorBoard
 * event file ({@link TensorBoardLog}), every appended row goes there too, and the checkpoint
 * records the event file's length ({@link #EVENT_BYTES_KEY}) so that a resume cuts it back the
 * same way (its records are whole-record appends, so a byte length is a record boundary).
 */
final class MetricsLog {
    /** Checkpoint metadata key: rows of metrics.jsonl at the time of the checkpoint. */
    static final String ROWS_KEY = "metrics_rows";
    /** Checkpoint metadata key: bytes of the TensorBoard event file at the time of the checkpoint. */
    static final String EVENT_BYTES_KEY = "events_bytes";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Path tensorboardOut;
    private long rows;

    private MetricsLog(Path file, long rows, Path tensorboardOut) {
        this.file = file;
        this.rows = rows;
        this.tensorboardOut = tensorboardOut;
    }

    /**
     * Opens the log of a run that continues after {@code keep} rows: longer logs are cut to their
     * first {@code keep} complete lines (0 = start over). A log shorter than that is kept as it is.
     * tensorboardOut: the run folder whose event file also receives every row, or null for none;
     * its event file is cut back to keepEventBytes bytes (negative: unknown, left as it is).
     */
    static MetricsLog resume(Path file, long keep, Path tensorboardOut, long keepEventBytes) throws IOException {
        if (tensorboardOut != null && keepEventBytes >= 0) {
            cutEvents(TensorBoardLog.file(tensorboardOut), keepEventBytes);
        }
        if (!Files.exists(file)) {
            return new MetricsLog(file, 0, tensorboardOut);
        }
        byte[] b = Files.readAllBytes(file);
        long lines = 0;
        int end = 0;
        for (int i = 0; i < b.length && lines < keep; i++) {
            if (b[i] == '\n') {
                lines++;
                end = i + 1;
            }
        }
        if (end < b.length) {
            replace(file, java.util.Arrays.copyOf(b, end));
        }
        return new MetricsLog(file, lines, tensorboardOut);
    }

    /** Cuts the event file to its first bytes (none: removed, so the next write starts it anew). */
    private static void cutEvents(Path events, long bytes) throws IOException {
        if (!Files.exists(events) || Files.size(events) <= bytes) {
            return;
        }
        if (bytes == 0) {
            Files.delete(events);
            return;
        }
        byte[] head = new byte[Math.toIntExact(bytes)];
        try (var in = Files.newInputStream(events)) {
            in.readNBytes(head, 0, head.length);
        }
        replace(events, head);
    }

    /** Replaces file's content atomically (a kill leaves either the old or the new file). */
    private static void replace(Path file, byte[] content) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".cut.tmp");
        Files.write(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Bytes of the event file so far (what a checkpoint written now records), or -1 without one. */
    long eventBytes() throws IOException {
        Path events = tensorboardOut == null ? null : TensorBoardLog.file(tensorboardOut);
        return events != null && Files.exists(events) ? Files.size(events) : -1;
    }

    /**
     * For a checkpoint that does not record {@link #ROWS_KEY}: the number of leading rows of the log
     * whose step is at most {@code step}.
     */
    static long rowsUpToStep(Path file, long step) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        long n = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            try {
                var node = JSON.readTree(line);
                if (node == null || !node.has("step") || node.get("step").asLong() > step) {
                    break;
                }
            } catch (IOException e) {
                break;
            }
            n++;
        }
        return n;
    }

    /** Rows in the log so far (what a checkpoint written now records). */
    long rows() {
        return rows;
    }

    /** Appends one row; an I/O failure (a full disk) names the file. */
    void append(Map<String, Object> row) throws IOException {
        try {
            Files.writeString(file, JSON.writeValueAsString(row) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (java.nio.file.FileSystemException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        rows++;
        if (tensorboardOut != null) {
            TensorBoardLog.row(tensorboardOut, row);
        }
    }
}
