package gradncp.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gradncp info CKPT}: prints a checkpoint's spec, config and provenance. */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Print a checkpoint's model spec, config and provenance.")
public final class InfoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "CKPT", description = "Checkpoint file (.safetensors).")
    Path checkpoint;

    @Override
    public Integer call() {
        return Main.notImplemented(spec);
    }
}
