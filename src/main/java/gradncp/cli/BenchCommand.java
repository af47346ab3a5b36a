package gradncp.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gradncp bench engine|meta|memory}: timings and memory, side by side with the PyTorch
 * reference when it is available ({@link gradncp.bench.Reference}). The parent only dispatches;
 * each subcommand is its own file, and {@link BenchOptions} holds the options they share.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Benchmarks (optionally side by side with the PyTorch reference).",
        subcommands = {BenchEngineCommand.class, BenchMetaCommand.class, BenchMemoryCommand.class})
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(), "Missing required subcommand: engine, meta or memory");
    }
}
