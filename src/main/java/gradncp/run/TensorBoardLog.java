package gradncp.run;

import gradncp.config.MetaConfig;
import gradncp.io.EventFile;
import gradncp.nn.Decoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The trainer's TensorBoard log: the same rows as metrics.jsonl, as scalars in one event file
 * next to it ({@link #FILE}). A row's numeric fields other than {@code step} become scalars
 * under the row's key: {@code train/KEY} for a training row (loss, psnr_out, distance, ms = step
 * time, peak_engine_bytes, ...), {@code eval/KEY} for an evaluation row (its keys start with
 * {@code test_}, or {@code val_} for classification episodes). The run's config and network go in as text (tag {@code config}) when a run
 * starts or resumes.
 */
public final class TensorBoardLog {
    /** The event file's name: TensorBoard reads files whose name contains "tfevents". */
    public static final String FILE = "events.out.tfevents.gradncp";

    private TensorBoardLog() {}

    /** The event file of a run folder. */
    public static Path file(Path out) {
        return out.resolve(FILE);
    }

    /** Records the config and network at the start (or resume) of a run, at step. */
    public static void start(Path out, MetaConfig cfg, Decoder decoder, long step) throws IOException {
        String text = "network: " + decoder + ", " + decoder.parameterCount() + " parameters\n\n```\n"
                + String.join("\n", cfg.describe()) + "\n```";
        EventFile.at(file(out)).text("config", step, text);
    }

    /** Appends one metrics row (it must have a {@code step}). */
    public static void row(Path out, Map<String, Object> row) throws IOException {
        boolean eval = row.keySet().stream().anyMatch(k -> k.startsWith("test_") || k.startsWith("val_"));
        Map<String, Double> scalars = new LinkedHashMap<>();
        row.forEach((k, v) -> {
            if (!k.equals("step") && v instanceof Number n) {
                scalars.put((eval ? "eval/" : "train/") + k, n.doubleValue());
            }
        });
        EventFile.at(file(out)).scalars(((Number) row.get("step")).longValue(), scalars);
    }
}
