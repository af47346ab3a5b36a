package gradncp.cli;

import gradncp.io.OnnxSiren;
import gradncp.nn.SirenSpec;
import gradncp.run.BuiltinInits;
import gradncp.run.Checkpoint;
import gradncp.tensor.DType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gradncp export}: a fitted field or an init in another format. onnx: the SIREN as a
 * standard ONNX model, coordinates in and values out at any resolution ({@link OnnxSiren});
 * safetensors: the parameters with the config and network spec but without training state (how
 * the built-in inits were made small).
 */
@Command(name = "export", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Export a fitted field (fit's *.field.safetensors) or an init (a checkpoint, builtin:photos,"
                + " builtin:text): onnx = the SIREN as an ONNX model (input 'coords' [N, inDim] in [-1, 1], output"
                + " 'values' [N, outDim], unclamped), safetensors = parameters + config without optimiser state.")
public final class ExportCommand implements Callable<Integer> {
    /** The output formats. */
    public enum Format { ONNX, SAFETENSORS }

    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "FIELD_OR_INIT",
            description = "A gradncp checkpoint or fitted field, or builtin:NAME.")
    Path checkpoint;

    @Option(names = "--format", defaultValue = "onnx", description = "onnx or safetensors.")
    Format format;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The file to write.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Checkpoint.Loaded c = Checkpoint.load(BuiltinInits.resolve(checkpoint), null, DType.F32);
        if (out.toAbsolutePath().getParent() != null) {
            Files.createDirectories(out.toAbsolutePath().getParent());
        }
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("exported_from", checkpoint.toString());
        for (String k : new String[] {"method", "source", "steps", "fitted_from"}) {
            if (c.metadata().containsKey(k)) {
                meta.put(k, c.metadata().get(k));
            }
        }
        if (c.state() != null) { // the outer steps behind an init (not "step": that key marks a training state)
            meta.put("trained_steps", Long.toString(c.state().step()));
        }
        if (format == Format.ONNX) {
            if (!(c.decoder() instanceof SirenSpec siren)) {
                throw new IllegalArgumentException("ONNX export covers the SIREN; " + checkpoint + " holds a "
                        + c.decoder().tag() + " network");
            }
            if (c.config() != null) {
                meta.put("gradncp.config", c.config().toJson());
            }
            OnnxSiren.write(out, siren, c.params(), meta);
        } else {
            Checkpoint.save(out, c.decoder(), c.config(), c.params(), null, meta);
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "%s (%s, %d parameters) -> %s (%s, %d bytes)%n", checkpoint, c.decoder(),
                c.decoder().parameterCount(), out, format.name().toLowerCase(Locale.ROOT), Files.size(out));
        w.flush();
        return 0;
    }
}
