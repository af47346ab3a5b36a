package gradncp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import gradncp.bench.MemoryBench;
import gradncp.bench.MemoryPlot;
import gradncp.meta.MetaStep;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gradncp bench memory}: the paper's efficiency figure, peak meta-training memory against resolution. */
@Command(
        name = "memory",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Peak meta-training memory (one outer step, B=1) against resolution for maml K=4,"
                + " maml K=16 (full context) and gradncp K=16, gamma 0.25, L=5, from the engine's exact"
                + " accounting (dry run: nothing is computed). Configurations over the budget are reported"
                + " as out of memory. Writes a PNG plot (not for --classifier or --nerf, which print tables).")
public final class BenchMemoryCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin BenchOptions common;

    @Option(names = "--res", split = ",", defaultValue = "64,128,178,256,512,1024", description = "Resolutions.")
    int[] resolutions;

    @Option(names = "--budget-gb", description = "Memory budget in GiB (default: 90%% of the JVM's max heap).")
    Double budgetGb;

    @Option(names = "--width", defaultValue = "256", description = "SIREN width.")
    int width;

    @Option(names = "--depth", defaultValue = "5", description = "SIREN linear layers.")
    int depth;

    @Option(names = "--plot", defaultValue = "memory.png", paramLabel = "FILE.png", description = "Plot file.")
    Path plot;

    @Option(names = "--recompute", description = "Measure with the recomputed (step-by-step) meta-gradient.")
    boolean recompute;

    @Option(names = "--classifier", description = "Instead: the Conv-4 classifier, maml (full support) and gradncp"
            + " (pruned support) against --shots, for the episode and network of the --set keys.")
    boolean classifier;

    @Option(names = "--shots", split = ",", defaultValue = "1,5,10,20,50,100", description = "Classifier: shots.")
    int[] shots;

    @Option(names = "--nerf", description = "Instead: a NeRF on built-in-car rays, maml (every ray) and gradncp"
            + " (pruned rays) against --inner-steps, for the scene and network of the --set keys (default: the"
            + " RESULTS.md NeRF runs' 5 views of 16 px, 16 samples, width 32, depth 3, B=2, L=2).")
    boolean nerf;

    @Option(names = "--inner-steps", split = ",", defaultValue = "1,2,4,8,16", description = "NeRF: inner steps K.")
    int[] innerSteps;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Classifier or NeRF: a config key (repeatable), e.g."
            + " ways=5 resolution=28 width=32 innerSteps=5 contextRatio=0.25 bootSteps=5 metaBatch=1.")
    java.util.List<String> overrides = new ArrayList<>();

    @Option(names = "--maml-within-gradncp", description = "Also find, per resolution, the largest full-context"
            + " maml K (up to 16) whose peak fits within gradncp K=16 gamma 0.25's peak (equal memory).")
    boolean mamlWithinGradncp;

    @Override
    public Integer call() throws Exception {
        for (int r : resolutions) {
            Checks.atLeast(spec, "--res", r, 2);
        }
        Checks.positive(spec, "--budget-gb", budgetGb);
        Checks.atLeast(spec, "--width", width, 1);
        Checks.atLeast(spec, "--depth", depth, 2);
        Checks.outputFolder(spec, "--plot", plot.toAbsolutePath().getParent());
        long budget = budgetGb != null ? (long) (budgetGb * (1L << 30))
                : (long) (Runtime.getRuntime().maxMemory() * 0.9);
        PrintWriter out = spec.commandLine().getOut();
        if (classifier && nerf) {
            throw new ParameterException(spec.commandLine(),
                    "--classifier and --nerf are two different tables; give one");
        }
        if (nerf) {
            for (int k : innerSteps) {
                Checks.atLeast(spec, "--inner-steps", k, 1);
            }
            NerfMemoryTable.print(out, overrides, innerSteps, budget, MetaStep.Mode.of(recompute), common.json);
            return 0;
        }
        if (classifier) {
            ClassifierMemoryTable.print(out, overrides, shots, budget, MetaStep.Mode.of(recompute), common.json);
            return 0;
        }
        var rows = new ArrayList<MemoryBench.Row>();
        if (!common.json) {
            out.printf("peak engine memory of one meta-training step (B=1, SIREN %dx%d), budget %.1f GiB%s%n",
                    depth, width, budget / (double) (1L << 30), recompute ? ", recomputed meta-gradient" : "");
            out.printf("%-8s %6s %4s %6s %14s%n", "method", "res", "K", "gamma", "peak");
        }
        for (int res : resolutions) {
            for (var setup : MemoryBench.curves(res, width, depth)) {
                var r = MemoryBench.measure(setup, budget,
                        MetaStep.Mode.of(recompute));
                rows.add(r);
                if (common.json) {
                    out.println(MemoryRowJson.of(r.method(), r.contextRatio(), r.fits(), r.peakEngineBytes(),
                            "res", r.res(), "inner_steps", r.innerSteps()));
                } else {
                    out.printf("%-8s %6d %4d %6.2f %14s%n", r.method(), r.res(), r.innerSteps(), r.contextRatio(),
                            r.fits() ? String.format("%.2f GiB", r.peakEngineBytes() / (double) (1L << 30))
                                    : "out of memory");
                }
                out.flush();
            }
            if (mamlWithinGradncp) {
                MemoryBench.Row g = rows.get(rows.size() - 1); // curves() ends with gradncp
                var m = MemoryBench.largestMaml(res, width, depth, g.peakEngineBytes(), 16, MetaStep.Mode.of(recompute));
                if (common.json) {
                    var o = new LinkedHashMap<String, Object>();
                    o.put("method", "maml_within_gradncp");
                    o.put("res", res);
                    o.put("inner_steps", m.fits() ? m.innerSteps() : 0);
                    o.put("peak_engine_bytes", m.fits() ? m.peakEngineBytes() : null);
                    o.put("gradncp_peak_engine_bytes", g.peakEngineBytes());
                    out.println(new ObjectMapper().writeValueAsString(o));
                } else {
                    out.printf("%-8s %6d %4d %6.2f %14s  (largest full-context K within gradncp's %.2f GiB)%n",
                            "maml", res, m.fits() ? m.innerSteps() : 0, 1.0,
                            m.fits() ? String.format("%.2f GiB", m.peakEngineBytes() / (double) (1L << 30)) : "none",
                            g.peakEngineBytes() / (double) (1L << 30));
                }
                out.flush();
            }
        }
        MemoryPlot.write(plot, rows, budget);
        if (!common.json) {
            out.println("plot: " + plot);
        }
        return 0;
    }
}
