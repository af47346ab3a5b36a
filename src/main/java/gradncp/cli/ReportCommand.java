package gradncp.cli;

import gradncp.config.MetaConfig;
import gradncp.data.Datasets;
import gradncp.data.ImageSet;
import gradncp.nn.SirenSpec;
import gradncp.report.ImageReportSignals;
import gradncp.report.Report;
import gradncp.run.Checkpoint;
import gradncp.run.Evaluator;
import gradncp.tensor.DType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gradncp report}: one self-contained HTML evaluation report for one or more learned inits. */
@Command(name = "report", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Evaluate learned inits (plus the random SIREN init) on test images and write report.html"
                + " (self-contained), report.json and the figures as PNG: results table, PSNR per step,"
                + " reconstructions, selected context per step, last-layer approximation, rescaling analysis.")
public final class ReportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "CKPT", description = "The main checkpoint.")
    Path checkpoint;

    @Option(names = "--compare", paramLabel = "CKPT", description = "More checkpoints to compare (repeatable).")
    List<Path> compare = new ArrayList<>();

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Test images (folder, .npy, IDX or builtin:text[:N]), loaded as eval loads them.")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--steps", defaultValue = "16", description = "Test-time SGD steps (K_test).")
    int steps;

    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N images (0 = all).")
    int limit;

    @Option(names = "--seed", description = "Seed of the random-init baseline and of the correlation points"
            + " (default: the checkpoint's seed, i.e. its meta-training starting point).")
    Long seed;

    @Option(names = "--batch", defaultValue = "8", description = "Signals adapted at once (as eval).")
    int batch;

    @Option(names = "--points", defaultValue = "256", description = "Points per step for the gradient correlation.")
    int points;

    @Option(names = "--grid-signals", defaultValue = "3", description = "Signals in the reconstruction grid.")
    int gridSignals;

    @Override
    public Integer call() throws Exception {
        if (steps < 0 || batch < 1 || points < 2 || gridSignals < 1 || limit < 0) {
            throw new IllegalArgumentException("need --steps >= 0, --batch >= 1, --points >= 2, --grid-signals >= 1"
                    + " and --limit >= 0");
        }
        List<Path> paths = new ArrayList<>(List.of(checkpoint));
        paths.addAll(compare);
        List<Checkpoint.Loaded> loaded = new ArrayList<>();
        for (Path p : paths) {
            loaded.add(Checkpoint.load(p, null, DType.F32));
        }
        Checkpoint.Loaded first = loaded.get(0);
        MetaConfig cfg = configOf(first);
        // Extension point: audio/video/sphere checkpoints need their own ReportSignals implementation.
        if (cfg.modality() != MetaConfig.Modality.IMAGE) {
            throw new IllegalArgumentException("report supports image checkpoints only, got modality "
                    + cfg.modality() + "; add a gradncp.report.ReportSignals implementation for it");
        }
        if (!(first.decoder() instanceof SirenSpec firstSpec)) {
            throw new IllegalArgumentException("report supports SIREN image checkpoints only, got " + first.decoder().tag());
        }
        ImageSet set = Datasets.load(data, cfg.resolution(), firstSpec.outDim(), cfg.seed() + 7919, false);
        if (limit > 0 && limit < set.size()) {
            set = set.head(limit);
        }
        long s = seed != null ? seed : cfg.seed();
        List<Report.Method> methods = new ArrayList<>();
        methods.add(new Report.Method("random init", "random", first.decoder().tag() + " init, seed " + s,
                first.decoder(), first.decoder().init(s, DType.F32), protocol(cfg)));
        for (int i = 0; i < loaded.size(); i++) {
            Checkpoint.Loaded c = loaded.get(i);
            MetaConfig ci = configOf(c);
            boolean sameData = c.decoder() instanceof SirenSpec cs && cs.outDim() == firstSpec.outDim();
            if (!sameData || ci.resolution() != cfg.resolution()) {
                throw new IllegalArgumentException(paths.get(i) + " has " + c.decoder() + " at " + ci.resolution()
                        + " px, but " + paths.get(0) + " has " + first.decoder() + " at " + cfg.resolution()
                        + "; compare checkpoints of the same network and data");
            }
            String method = c.metadata().getOrDefault("method", ci.method().name().toLowerCase(Locale.ROOT));
            methods.add(new Report.Method(label(method, paths, i, loaded), method, paths.get(i).toString(),
                    c.decoder(), c.params(), protocol(ci)));
        }
        PrintWriter log = spec.commandLine().getErr();
        Path html = Report.write(methods, new ImageReportSignals(set), new Report.Options(batch, s, gridSignals, points,
                data), out, log);
        spec.commandLine().getOut().println("wrote " + html);
        return 0;
    }

    private static MetaConfig configOf(Checkpoint.Loaded c) {
        return c.config() != null ? c.config() : MetaConfig.defaults();
    }

    /** eval's protocol: the checkpoint's lr and context ratio, with --steps. */
    private Evaluator.Protocol protocol(MetaConfig cfg) {
        Evaluator.Protocol base = Evaluator.Protocol.of(cfg);
        return new Evaluator.Protocol(steps, base.lr(), base.contextRatio());
    }

    /** The method name, plus the checkpoint's folder when two checkpoints share a method. */
    private static String label(String method, List<Path> paths, int i, List<Checkpoint.Loaded> loaded) {
        long same = loaded.stream().filter(c -> c.metadata().getOrDefault("method",
                configOf(c).method().name().toLowerCase(Locale.ROOT)).equals(method)).count();
        Path parent = paths.get(i).toAbsolutePath().getParent();
        return same > 1 && parent != null ? method + " (" + parent.getFileName() + ")" : method;
    }
}
