package gradncp.cli;

import gradncp.meta.MetaStep;
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
            double[] gfs = gradncp.bench.EngineBench.matmulGflops(32768, 256, 256, common.repeats);
            double gf = gfs[0];
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
                o.put("matmul_gflops_median", gfs[1]);
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
                out.printf("matmul [32768x256]x[256x256] float32: %.1f GFLOP/s best, %.1f median of %d calls"
                        + " (%d threads)%n", gf, gfs[1], Math.max(gradncp.bench.EngineBench.MATMUL_REPEATS,
                        common.repeats), gradncp.tensor.kernel.Parallel.threads());
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

    /** Meta-training outer-step time and memory, optionally side by side with the reference. */
    @Command(
            name = "meta",
            mixinStandardHelpOptions = true,
            showDefaultValues = true,
            description = "Median time per meta-training outer step after warm-up, peak engine memory, process"
                    + " peak RSS, the step's matmul FLOPs (counted) and GFLOP/s; --vs-reference runs the same"
                    + " configuration in the PyTorch reference and prints ratios ours/theirs.")
    public static final class Meta implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Common common;

        @Option(names = "--method", defaultValue = "gradncp", description = "maml or gradncp.")
        String method;

        @Option(names = "--res", defaultValue = "64", description = "Image resolution R (N = R*R).")
        int res;

        @Option(names = "--batch", defaultValue = "8", description = "Signals per outer step.")
        int batch;

        @Option(names = "--inner-steps", defaultValue = "16", description = "K.")
        int innerSteps;

        @Option(names = "--context-ratio", defaultValue = "0.25", description = "gamma (gradncp).")
        double ratio;

        @Option(names = "--boot-steps", defaultValue = "5", description = "L (gradncp).")
        int bootSteps;

        @Option(names = "--width", defaultValue = "256", description = "SIREN width.")
        int width;

        @Option(names = "--depth", defaultValue = "5", description = "SIREN linear layers.")
        int depth;

        @Option(names = "--vs-reference", description = "Also run the PyTorch reference and print ratios.")
        boolean vsReference;

        @Option(names = "--recompute", description = "Rebuild one inner step at a time in the meta-backward"
                + " (memory independent of K; about one extra forward+backward per step).")
        boolean recompute;

        @Override
        public Integer call() throws Exception {
            if (!method.equals("maml") && !method.equals("gradncp")) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--method must be maml or gradncp, got " + method);
            }
            var setup = new gradncp.bench.MetaBench.Setup(method, res, batch, innerSteps,
                    method.equals("maml") ? 1.0 : ratio, bootSteps, width, depth);
            var r = gradncp.bench.MetaBench.run(setup, common.warmup, common.repeats,
                    recompute ? gradncp.meta.MetaStep.Mode.RECOMPUTE : gradncp.meta.MetaStep.Mode.KEPT_GRAPH);
            double fmaPeak = gradncp.bench.FmaPeak.gflops(1500); // the host's ceiling, same minutes
            com.fasterxml.jackson.databind.JsonNode ref = null;
            String refNote = "";
            if (vsReference && !common.noReference) {
                var found = gradncp.bench.Reference.find(common.reference);
                if (found.isPresent()) {
                    var args = new java.util.LinkedHashMap<String, String>();
                    args.put("depth", Integer.toString(depth));
                    args.put("width", Integer.toString(width));
                    args.put(method.equals("maml") ? "K_maml" : "K", Integer.toString(innerSteps));
                    args.put("gamma", Double.toString(ratio));
                    args.put("L", Integer.toString(bootSteps));
                    ref = found.get().bench(java.util.List.of(method), res, batch, args, common.warmup,
                            common.repeats).get(0);
                } else {
                    refNote = gradncp.bench.Reference.unavailableReason(common.reference);
                }
            }
            java.io.PrintWriter out = spec.commandLine().getOut();
            var o = new java.util.LinkedHashMap<String, Object>();
            o.put("method", method);
            o.put("res", res);
            o.put("batch", batch);
            o.put("inner_steps", innerSteps);
            o.put("context_ratio", setup.contextRatio());
            o.put("boot_steps", bootSteps);
            o.put("width", width);
            o.put("depth", depth);
            o.put("recompute", recompute);
            o.put("ms_per_step", r.msPerStep());
            o.put("min_ms", r.minMs());
            o.put("peak_engine_bytes", r.peakEngineBytes());
            o.put("peak_rss_bytes", r.peakRssBytes());
            o.put("flops_per_step", r.flopsPerStep());
            o.put("gflops", r.gflops());
            o.put("percent_of_237", 100 * r.gflops() / 237.0);
            o.put("fma_peak_gflops", fmaPeak);
            o.put("percent_of_fma_peak", 100 * r.gflops() / fmaPeak);
            if (ref != null) {
                double refMs = ref.get("median_ms").asDouble();
                long refRss = (long) (ref.get("peak_rss_mb").asDouble() * 1048576);
                o.put("reference_ms_per_step", refMs);
                o.put("reference_peak_rss_bytes", refRss);
                o.put("reference_gflop_per_step", ref.get("gflop").asDouble());
                o.put("ratio_time", r.msPerStep() / refMs);
                o.put("ratio_rss", (double) r.peakRssBytes() / refRss);
            } else if (vsReference) {
                o.put("reference", "unavailable: " + refNote);
            }
            if (common.json) {
                out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o));
            } else {
                o.forEach((k, v) -> out.printf("%-26s %s%n", k, v instanceof Double d ? String.format("%.4g", d) : v));
            }
            out.flush();
            return 0;
        }
    }

    /** The paper's efficiency figure: peak meta-training memory against resolution. */
    @Command(
            name = "memory",
            mixinStandardHelpOptions = true,
            showDefaultValues = true,
            description = "Peak meta-training memory (one outer step, B=1) against resolution for maml K=4,"
                    + " maml K=16 (full context) and gradncp K=16, gamma 0.25, L=5, from the engine's exact"
                    + " accounting (dry run: nothing is computed). Configurations over the budget are reported"
                    + " as out of memory. Writes a PNG plot.")
    public static final class Memory implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Common common;

        @Option(names = "--res", split = ",", defaultValue = "64,128,178,256,512,1024",
                description = "Resolutions.")
        int[] resolutions;

        @Option(names = "--budget-gb", description = "Memory budget in GiB (default: 90% of the JVM's max heap).")
        Double budgetGb;

        @Option(names = "--width", defaultValue = "256", description = "SIREN width.")
        int width;

        @Option(names = "--depth", defaultValue = "5", description = "SIREN linear layers.")
        int depth;

        @Option(names = "--plot", defaultValue = "memory.png", paramLabel = "FILE.png", description = "Plot file.")
        Path plot;

        @Option(names = "--recompute", description = "Measure with the recomputed (step-by-step) meta-gradient.")
        boolean recompute;

        @Override
        public Integer call() throws Exception {
            long budget = budgetGb != null ? (long) (budgetGb * (1L << 30))
                    : (long) (Runtime.getRuntime().maxMemory() * 0.9);
            java.io.PrintWriter out = spec.commandLine().getOut();
            var rows = new java.util.ArrayList<gradncp.bench.MemoryBench.Row>();
            if (!common.json) {
                out.printf("peak engine memory of one meta-training step (B=1, SIREN %dx%d), budget %.1f GiB%s%n",
                        depth, width, budget / (double) (1L << 30), recompute ? ", recomputed meta-gradient" : "");
                out.printf("%-8s %6s %4s %6s %14s%n", "method", "res", "K", "gamma", "peak");
            }
            for (int res : resolutions) {
                for (var setup : gradncp.bench.MemoryBench.curves(res, width, depth)) {
                    var r = gradncp.bench.MemoryBench.measure(setup, budget,
                            recompute ? gradncp.meta.MetaStep.Mode.RECOMPUTE : gradncp.meta.MetaStep.Mode.KEPT_GRAPH);
                    rows.add(r);
                    if (common.json) {
                        var o = new java.util.LinkedHashMap<String, Object>();
                        o.put("method", r.method());
                        o.put("res", r.res());
                        o.put("inner_steps", r.innerSteps());
                        o.put("context_ratio", r.contextRatio());
                        o.put("peak_engine_bytes", r.fits() ? r.peakEngineBytes() : null);
                        o.put("fits", r.fits());
                        out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(o));
                    } else {
                        out.printf("%-8s %6d %4d %6.2f %14s%n", r.method(), r.res(), r.innerSteps(), r.contextRatio(),
                                r.fits() ? String.format("%.2f GiB", r.peakEngineBytes() / (double) (1L << 30))
                                        : "out of memory");
                    }
                    out.flush();
                }
            }
            gradncp.bench.MemoryPlot.write(plot, rows, budget);
            if (!common.json) {
                out.println("plot: " + plot);
            }
            return 0;
        }
    }
}
