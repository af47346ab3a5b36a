package gradncp.cli;

import gradncp.bench.NerfMemory;
import gradncp.config.MetaConfig;
import gradncp.meta.MetaStep;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code gradncp bench memory --nerf}: one maml and one gradncp row per number of inner steps. */
final class NerfMemoryTable {
    private NerfMemoryTable() {}

    static void print(PrintWriter out, List<String> overrides, int[] innerSteps, long budget, MetaStep.Mode mode,
            boolean json) throws Exception {
        // defaults: the settings of the RESULTS.md NeRF runs (issue 15)
        List<String> o = new ArrayList<>(List.of("modality=scene", "decoder=nerf", "resolution=16", "views=5",
                "raySamples=16", "width=32", "depth=3", "posFreqs=4", "metaBatch=2", "bootSteps=2"));
        o.addAll(overrides);
        MetaConfig base = MetaConfig.defaults().withOverrides(o);
        if (!json) {
            out.printf("peak engine memory of one NeRF meta-step (B=%d, %d views of %d x %d px, %d samples/ray,"
                    + " width %d, depth %d, gradncp gamma %.2f L=%d), budget %.1f GiB%s%n", base.metaBatch(),
                    base.views(), base.resolution(), base.resolution(), base.raySamples(), base.width(),
                    base.depth(), base.contextRatio(), base.bootSteps(), budget / (double) (1L << 30),
                    mode == MetaStep.Mode.RECOMPUTE ? ", recomputed meta-gradient" : "");
            out.printf("%-8s %6s %4s %6s %14s%n", "method", "rays", "K", "gamma", "peak");
        }
        for (int k : innerSteps) {
            for (String method : List.of("maml", "gradncp")) {
                NerfMemory.Row r = NerfMemory.measure(NerfMemory.at(base, method, k), budget, mode);
                if (json) {
                    out.println(MemoryRowJson.of(r.method(), r.contextRatio(), r.fits(), r.peakEngineBytes(),
                            "rays", r.rays(), "inner_steps", r.innerSteps()));
                } else {
                    out.printf("%-8s %6d %4d %6.2f %14s%n", r.method(), r.rays(), r.innerSteps(), r.contextRatio(),
                            r.fits() ? String.format("%.1f MiB", r.peakEngineBytes() / (double) (1L << 20))
                                    : "out of memory");
                }
                out.flush();
            }
        }
    }
}
