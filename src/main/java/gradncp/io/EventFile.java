package gradncp.io;

import com.google.protobuf.ByteString;
import gradncp.io.proto.TbEvent.DataType;
import gradncp.io.proto.TbEvent.Event;
import gradncp.io.proto.TbEvent.Summary;
import gradncp.io.proto.TbEvent.SummaryMetadata;
import gradncp.io.proto.TbEvent.TensorProto;
import gradncp.io.proto.TbEvent.TensorShapeProto;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * A TensorBoard event file: TFRecord-framed {@code Event} protos ({@link TfRecord}). The first
 * record of a file names the format version; then scalars (one Event per step, a float
 * {@code simple_value} per tag) and text (a string tensor for TensorBoard's text plugin, which
 * renders it as Markdown). Each call appends its records and closes the file, so the file is
 * complete after every call and a resumed run appends to the same file, as it does to
 * metrics.jsonl; TensorBoard reads files that grow.
 */
public final class EventFile {
    /** The version string TensorBoard expects in a file's first event. */
    public static final String FILE_VERSION = "brain.Event:2";
    private final Path file;

    private EventFile(Path file) {
        this.file = file;
    }

    /** The event file at path, started with the version record if it does not exist yet. */
    public static EventFile at(Path path) throws IOException {
        EventFile f = new EventFile(path);
        if (!Files.exists(path)) {
            f.append(Event.newBuilder().setWallTime(now()).setFileVersion(FILE_VERSION).build());
        }
        return f;
    }

    public Path path() {
        return file;
    }

    /** One event at step holding a scalar per tag (float32, as TensorBoard stores scalars). */
    public void scalars(long step, Map<String, Double> values) throws IOException {
        Summary.Builder s = Summary.newBuilder();
        values.forEach((tag, v) -> s.addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue(v.floatValue())));
        append(Event.newBuilder().setWallTime(now()).setStep(step).setSummary(s).build());
    }

    /** One event at step holding a text (Markdown) under tag. */
    public void text(String tag, long step, String text) throws IOException {
        TensorProto t = TensorProto.newBuilder().setDtype(DataType.DT_STRING)
                .setTensorShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dim.newBuilder().setSize(1)))
                .addStringVal(ByteString.copyFrom(text, StandardCharsets.UTF_8)).build();
        SummaryMetadata meta = SummaryMetadata.newBuilder()
                .setPluginData(SummaryMetadata.PluginData.newBuilder().setPluginName("text")).build();
        Summary s = Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag).setMetadata(meta)
                .setTensor(t)).build();
        append(Event.newBuilder().setWallTime(now()).setStep(step).setSummary(s).build());
    }

    private void append(Event e) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        TfRecord.write(buf, e.toByteArray());
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            buf.writeTo(out); // the whole record in one write
        }
    }

    private static double now() {
        return System.currentTimeMillis() / 1000.0;
    }
}
