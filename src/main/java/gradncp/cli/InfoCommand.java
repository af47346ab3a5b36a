package gradncp.cli;

import gradncp.io.Safetensors;
import gradncp.run.BuiltinInits;
import gradncp.run.Checkpoint;
import gradncp.tensor.DType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gradncp info CKPT}: prints a checkpoint's spec, config and provenance. */
@Command(name = "info", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Print a checkpoint's model spec, config, training state and provenance.")
public final class InfoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "CKPT", description = "Checkpoint file (.safetensors), or builtin:photos, builtin:text.")
    Path checkpoint;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path file = BuiltinInits.resolve(checkpoint);
        Safetensors.Contents contents = Safetensors.read(file);
        Checkpoint.Loaded c = Checkpoint.load(file, null, DType.F32);
        out.println("file: " + checkpoint);
        out.println("format: " + c.metadata().get("format"));
        out.println("decoder: " + c.decoder().tag());
        out.println("spec: " + c.decoder() + " (" + c.decoder().parameterCount() + " parameters)");
        if (c.state() != null) {
            out.println("step: " + c.state().step() + " (adam step " + c.state().adamStep() + ")");
        }
        for (Map.Entry<String, String> e : c.metadata().entrySet()) {
            if (!Set.of("config", "spec", "format", "decoder").contains(e.getKey())
                    && !e.getKey().endsWith("step") && !e.getKey().equals("sampler_position")) {
                out.println(e.getKey() + ": " + e.getValue());
            }
        }
        if (c.config() != null) {
            out.println("config:");
            c.config().describe().forEach(l -> out.println("  " + l));
        }
        printTensors(out, contents);
        return 0;
    }

    private static void printTensors(PrintWriter out, Safetensors.Contents contents) {
        out.println("tensors:");
        contents.tensors().forEach((k, v) ->
                out.println("  " + k + " " + v.dtype() + " " + Arrays.toString(v.shape())));
    }
}
