package gradncp.cli;

import gradncp.bench.ClassifierMemory;
import gradncp.config.MetaConfig;
import gradncp.meta.MetaStep;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** {@code gradncp bench memory --classifier}: one maml and one gradncp row per number of shots. */
final class ClassifierMemoryTable {
    private ClassifierMemoryTable() {}

    static void print(PrintWriter out, List<String> overrides, int[] shots, long budget, MetaStep.Mode mode,
            boolean json) throws Exception {
        List<String> o = new ArrayList<>(List.of("modality=classification", "decoder=conv4", "channels=1",
                "resolution=28", "width=32", "innerSteps=5", "metaBatch=1"));
        o.addAll(overrides);
        MetaConfig base = MetaConfig.defaults().withOverrides(o);
        if (!json) {
            out.printf("peak engine memory of one classification meta-step (B=%d, Conv-4 width %d, %d px, %d-way,"
                    + " %d queries/class, K=%d, gradncp gamma %.2f L=%d), budget %.1f GiB%s%n", base.metaBatch(),
                    base.width(), base.resolution(), base.ways(), base.queries(), base.innerSteps(),
                    base.contextRatio(), base.bootSteps(), budget / (double) (1L << 30),
                    mode == MetaStep.Mode.RECOMPUTE ? ", recomputed meta-gradient" : "");
            out.printf("%-8s %6s %6s %14s%n", "method", "shots", "gamma", "peak");
        }
        for (int k : shots) {
            for (String method : List.of("maml", "gradncp")) {
                ClassifierMemory.Row r = ClassifierMemory.measure(ClassifierMemory.at(base, method, k), budget, mode);
                if (json) {
                    out.println(MemoryRowJson.of(r.method(), r.contextRatio(), r.fits(), r.peakEngineBytes(),
                            "ways", r.ways(), "shots", r.shots()));
                } else {
                    out.printf("%-8s %6d %6.2f %14s%n", r.method(), r.shots(), r.contextRatio(), r.fits()
                            ? String.format("%.3f GiB", r.peakEngineBytes() / (double) (1L << 30)) : "out of memory");
                }
                out.flush();
            }
        }
    }
}
