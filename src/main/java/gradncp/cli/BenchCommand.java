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
            description = "Tensor-engine throughput in float32: GEMM GFLOP/s at [32768x256]x[256x256] and"
                    + " SIREN (2 -> 4x256 -> 3, w0 30, MSE) forward+backward at 4096 and 32768 coordinates,"
                    + " side by side with the PyTorch reference when available.")
    public static final class Engine implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Common common;

        @Override
        public Integer call() throws Exception {
            java.io.PrintWriter out = spec.commandLine().getOut();
            var celeba = gradncp.bench.EngineBench.CELEBA;
            double gf = gradncp.bench.EngineBench.matmulGflops(32768, 256, 256, common.repeats);
            // 4096 = one 64x64 signal; 32768 = two 128x128 signals, the reference's fwdbwd shapes
            var small = gradncp.bench.EngineBench.sirenForwardBackward(celeba, 64, 1, common.warmup, common.repeats);
            var large = gradncp.bench.EngineBench.sirenForwardBackward(celeba, 128, 2, common.warmup, common.repeats);
            double flops = gradncp.bench.EngineBench.sirenFlops(celeba, 32768);
            Double refMs = null;
            String refNote = "";
            if (!common.noReference) {
                var ref = gradncp.bench.Reference.find(common.reference);
                if (ref.isPresent()) {
                    var rows = ref.get().bench(java.util.List.of("fwdbwd"), 128, 2, java.util.Map.of(),
                            common.warmup, common.repeats);
                    refMs = rows.get(0).get("median_ms").asDouble();
                } else {
                    refNote = gradncp.bench.Reference.unavailableReason(common.reference);
                }
            } else {
                refNote = "--no-reference";
            }
            long peak = Math.max(small.peakEngineBytes(), large.peakEngineBytes());
            if (common.json) {
                var o = new java.util.LinkedHashMap<String, Object>();
                o.put("matmul_gflops", gf);
                o.put("siren_ms_4096", small.medianMs());
                o.put("siren_ms_32768", large.medianMs());
                o.put("siren_gflops_32768", flops / large.medianMs() / 1e6);
                o.put("peak_engine_bytes", peak);
                o.put("peak_engine_bytes_32768", large.peakEngineBytes());
                o.put("threads", gradncp.tensor.kernel.Parallel.threads());
                if (refMs != null) {
                    o.put("reference_siren_ms_32768", refMs);
                    o.put("ratio_siren_32768", large.medianMs() / refMs);
                } else {
                    o.put("reference", "unavailable: " + refNote);
                }
                out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o));
            } else {
                out.printf("matmul [32768x256]x[256x256] float32: %.1f GFLOP/s (%d threads)%n", gf,
                        gradncp.tensor.kernel.Parallel.threads());
                out.printf("SIREN fwd+bwd  4096 coords: %8.1f ms (median, min %.1f), peak engine memory %.1f MiB%n",
                        small.medianMs(), small.minMs(), small.peakEngineBytes() / 1048576.0);
                out.printf("SIREN fwd+bwd 32768 coords: %8.1f ms (median, min %.1f), peak engine memory %.1f MiB,"
                        + " %.1f GFLOP/s%n", large.medianMs(), large.minMs(), large.peakEngineBytes() / 1048576.0,
                        flops / large.medianMs() / 1e6);
                if (refMs != null) {
                    out.printf("PyTorch reference 32768 coords: %8.1f ms  -> ratio ours/theirs %.2f%n", refMs,
                            large.medianMs() / refMs);
                } else {
                    out.println("PyTorch reference: not run (" + refNote + ")");
                }
            }
            out.flush();
            return 0;
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
