package gradncp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gradncp.bench.FmaPeak;
import gradncp.bench.MetaBench;
import gradncp.bench.Reference;
import gradncp.meta.MetaStep;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code gradncp bench meta}: meta-training outer-step time and memory, optionally beside the reference. */
@Command(
        name = "meta",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Median time per meta-training outer step after warm-up, peak engine memory, process"
                + " peak RSS, the step's matmul FLOPs (counted) and GFLOP/s; --vs-reference runs the same"
                + " configuration in the PyTorch reference and prints ratios ours/theirs.")
public final class BenchMetaCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin BenchOptions common;

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

    @Option(names = "--decoder", defaultValue = "siren", description = "siren (synthetic R x R images) or nerf"
            + " (rays of --views built-in-car views of R x R pixels, --ray-samples per ray; no reference run).")
    String decoder;

    @Option(names = "--ray-samples", defaultValue = "16", description = "Samples per ray (nerf).")
    int raySamples;

    @Option(names = "--views", defaultValue = "5", description = "Views per scene (nerf).")
    int views;

    @Option(names = "--vs-reference", description = "Also run the PyTorch reference and print ratios.")
    boolean vsReference;

    @Option(names = "--recompute", description = "Rebuild one inner step at a time in the meta-backward"
            + " (memory independent of K; about one extra forward+backward per step).")
    boolean recompute;

    @Override
    public Integer call() throws Exception {
        if (!method.equals("maml") && !method.equals("gradncp")) {
            throw new ParameterException(spec.commandLine(), "--method must be maml or gradncp, got " + method);
        }
        Checks.atLeast(spec, "--res", res, 2);
        Checks.atLeast(spec, "--batch", batch, 1);
        Checks.atLeast(spec, "--inner-steps", innerSteps, 1);
        Checks.fraction(spec, "--context-ratio", ratio);
        Checks.atLeast(spec, "--boot-steps", bootSteps, 0);
        Checks.atLeast(spec, "--width", width, 1);
        Checks.atLeast(spec, "--depth", depth, 2);
        Checks.atLeast(spec, "--warmup", common.warmup, 0);
        Checks.atLeast(spec, "--repeats", common.repeats, 1);
        var setup = new MetaBench.Setup(method, res, batch, innerSteps, method.equals("maml") ? 1.0 : ratio,
                bootSteps, width, depth);
        if (!decoder.equals("siren") && !decoder.equals("nerf")) {
            throw new ParameterException(spec.commandLine(), "--decoder must be siren or nerf, got " + decoder);
        }
        boolean nerf = decoder.equals("nerf");
        var r = nerf ? MetaBench.runNerf(setup, raySamples, views, common.warmup, common.repeats,
                MetaStep.Mode.of(recompute))
                : MetaBench.run(setup, common.warmup, common.repeats, MetaStep.Mode.of(recompute));
        double fmaPeak = FmaPeak.gflops(1500); // the host's ceiling, same minutes
        JsonNode ref = null;
        String refNote = "";
        if (vsReference && !common.noReference && !nerf) {
            var found = Reference.find(common.reference);
            if (found.isPresent()) {
                var args = new LinkedHashMap<String, String>();
                args.put("depth", Integer.toString(depth));
                args.put("width", Integer.toString(width));
                args.put(method.equals("maml") ? "K_maml" : "K", Integer.toString(innerSteps));
                args.put("gamma", Double.toString(ratio));
                args.put("L", Integer.toString(bootSteps));
                ref = found.get().bench(List.of(method), res, batch, args, common.warmup, common.repeats).get(0);
            } else {
                refNote = Reference.unavailableReason(common.reference);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        var o = new LinkedHashMap<String, Object>();
        o.put("method", method);
        o.put("decoder", decoder);
        if (nerf) {
            o.put("ray_samples", raySamples);
            o.put("views", views);
        }
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
            o.put("reference", "unavailable: " + (nerf ? "the reference has no NeRF" : refNote));
        }
        if (common.json) {
            out.println(new ObjectMapper().writeValueAsString(o));
        } else {
            o.forEach((k, v) -> out.printf("%-26s %s%n", k, v instanceof Double d ? String.format("%.4g", d) : v));
        }
        out.flush();
        return 0;
    }
}
