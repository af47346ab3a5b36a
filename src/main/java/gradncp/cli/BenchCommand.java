package gradncp.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code gradncp bench engine|meta|memory}: timings and memory, side by side with the PyTorch
 * reference when it is available ({@link gradncp.bench.Reference}).
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Benchmarks (optionally side by side with the PyTorch reference).",
        subcommands = {
            BenchCommand.Engine.class,
            BenchCommand.Meta.class,
            BenchCommand.Memory.class
        })
public final class BenchCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(
                spec.commandLine(), "Missing required subcommand: engine, meta or memory");
    }

    /** Options shared by the bench subcommands. */
    public static final class Common {
        @Option(
                names = "--warmup",
                defaultValue = "3",
                description = "Untimed iterations before measuring.")
        public int warmup;

        @Option(names = "--repeats", defaultValue = "5", description = "Timed iterations.")
        public int repeats;

        @Option(
                names = "--reference",
                paramLabel = "SCRIPT",
                defaultValue = "../shared/reference/gradncp_ref.py",
                description =
                        "PyTorch reference script, relative to the repository root; skipped"
                                + " when missing or when /usr/bin/python3 cannot import torch.")
        public Path reference;

        @Option(names = "--no-reference", description = "Don't run the PyTorch reference.")
        public boolean noReference;

        @Option(names = "--json", description = "One JSON object per result line.")
        public boolean json;
    }

    /** Engine throughput: SIREN forward+backward, matmul. */
    @Command(
            name = "engine",
            mixinStandardHelpOptions = true,
            showDefaultValues = true,
            description = "Tensor-engine throughput (SIREN forward+backward, GEMM).")
    public static final class Engine implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Common common;

        @Option(names = "--res", defaultValue = "64", description = "Image resolution R (N = R*R).")
        int res;

        @Option(names = "--batch", defaultValue = "1", description = "Signals per step.")
        int batch;

        @Override
        public Integer call() {
            return Main.notImplemented(spec);
        }
    }

    /** Meta-training step time (maml, gradncp) and test-time adaptation. */
    @Command(
            name = "meta",
            mixinStandardHelpOptions = true,
            showDefaultValues = true,
            description = "Milliseconds per outer step (maml, gradncp) and per test adaptation.")
    public static final class Meta implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Common common;

        @Option(
                names = "--methods",
                split = ",",
                defaultValue = "maml,gradncp",
                description = "Comma list of maml, gradncp, test-plain, test-rescaled.")
        java.util.List<String> methods;

        @Option(names = "--res", defaultValue = "64", description = "Image resolution R (N = R*R).")
        int res;

        @Option(names = "--batch", defaultValue = "8", description = "Signals per outer step.")
        int batch;

        @Override
        public Integer call() {
            return Main.notImplemented(spec);
        }
    }

    /** Peak memory of a meta-training step. */
    @Command(
            name = "memory",
            mixinStandardHelpOptions = true,
            showDefaultValues = true,
            description = "Peak resident memory of meta-training steps.")
    public static final class Memory implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Common common;

        @Override
        public Integer call() {
            return Main.notImplemented(spec);
        }
    }
}
