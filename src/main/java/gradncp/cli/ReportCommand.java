package gradncp.cli;

import gradncp.config.MetaConfig;
import gradncp.data.ImageSignals;
import gradncp.data.SignalSet;
import gradncp.data.VideoSignals;
import gradncp.report.ImageReportSignals;
import gradncp.report.Report;
import gradncp.report.ReportSignals;
import gradncp.report.VideoReportSignals;
import gradncp.run.Checkpoint;
import gradncp.run.Evaluator;
import gradncp.run.RunLock;
import gradncp.tensor.DType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gradncp report}: one self-contained HTML evaluation report for one or more learned inits. */
@Command(name = "report", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Evaluate learned inits (plus the decoder's random init) on test images or videos and write"
                + " report.html (self-contained), report.json and the figures as PNG: results table, PSNR per step,"
                + " reconstructions, selected context per step, last-layer approximation, rescaling analysis."
                + " Any decoder (SIREN, NeRV); audio and sphere checkpoints have no report yet (use eval).")
public final class ReportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "CKPT", description = "The main checkpoint.")
    Path checkpoint;

    @Option(names = "--compare", paramLabel = "CKPT", description = "More checkpoints to compare (repeatable).")
    List<Path> compare = new ArrayList<>();

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Test signals of the checkpoint's modality, loaded as eval loads them: images (folder,"
                    + " .npy, IDX or builtin:text[:N]) or video (frame folder, GIF, folder of those,"
                    + " builtin:digits[:N]).")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--steps", defaultValue = "16", description = "Test-time SGD steps (K_test).")
    int steps;

    @Option(names = "--limit", defaultValue = "0", description = "Use only the first N signals (0 = all).")
    int limit;

    @Option(names = "--seed", description = "Seed of the random-init baseline and of the correlation points"
            + " (default: the checkpoint's seed, i.e. its meta-training starting point).")
    Long seed;

    @Option(names = "--batch", defaultValue = "8", description = "Signals adapted at once (as eval).")
    int batch;

    @Option(names = "--points", defaultValue = "256", description = "Context elements (pixels, points or frames)"
            + " per step for the gradient correlation; all of them when fewer.")
    int points;

    @Option(names = "--grid-signals", defaultValue = "3", description = "Signals in the reconstruction grid.")
    int gridSignals;

    @Override
    public Integer call() throws Exception {
        Checks.atLeast(spec, "--steps", steps, 0);
        Checks.atLeast(spec, "--batch", batch, 1);
        Checks.atLeast(spec, "--points", points, 2);
        Checks.atLeast(spec, "--grid-signals", gridSignals, 1);
        Checks.atLeast(spec, "--limit", limit, 0);
        Checks.outputFolder(spec, "--out", out);
        List<Path> paths = new ArrayList<>(List.of(checkpoint));
        paths.addAll(compare);
        List<Checkpoint.Loaded> loaded = new ArrayList<>();
        for (Path p : paths) {
            loaded.add(Checkpoint.load(p, null, DType.F32));
        }
        Checkpoint.Loaded first = loaded.get(0);
        MetaConfig cfg = configOf(first);
        if (cfg.modality() != MetaConfig.Modality.IMAGE && cfg.modality() != MetaConfig.Modality.VIDEO) {
            throw new IllegalArgumentException("report draws images and videos only, this checkpoint is "
                    + lower(cfg.modality()) + "; evaluate it with gradncp eval, or add a"
                    + " gradncp.report.ReportSignals implementation for " + lower(cfg.modality()));
        }
        SignalSet set = EvalCommand.testSignals(first, cfg, data);
        Evaluator.checkShape(first.decoder(), set);
        if (limit > 0 && limit < set.size()) {
            set = set.head(limit);
        }
        ReportSignals signals = cfg.modality() == MetaConfig.Modality.IMAGE
                ? new ImageReportSignals(((ImageSignals) set).images())
                : new VideoReportSignals((VideoSignals) set, first.decoder());
        int[] layout = first.decoder().layout(set.inDim(), set.points(), set.channels());
        long s = seed != null ? seed : cfg.seed();
        List<Report.Method> methods = new ArrayList<>();
        methods.add(new Report.Method("random init", "random", first.decoder().tag() + " init, seed " + s,
                first.decoder(), first.decoder().init(s, DType.F32), protocol(cfg)));
        for (int i = 0; i < loaded.size(); i++) {
            Checkpoint.Loaded c = loaded.get(i);
            MetaConfig ci = configOf(c);
            if (ci.modality() != cfg.modality() || ci.resolution() != cfg.resolution()
                    || !sameElements(c, set, layout)) {
                throw new IllegalArgumentException(paths.get(i) + " has " + c.decoder() + " for " + lower(ci.modality())
                        + " at " + ci.resolution() + " px, but " + paths.get(0) + " has " + first.decoder() + " for "
                        + lower(cfg.modality()) + " at " + cfg.resolution() + " px; compare checkpoints that split"
                        + " the same data into the same context elements");
            }
            String method = c.metadata().getOrDefault("method", lower(ci.method()));
            methods.add(new Report.Method(label(method, paths, i, loaded), method, paths.get(i).toString(),
                    c.decoder(), c.params(), protocol(ci)));
        }
        PrintWriter log = spec.commandLine().getErr();
        Path html;
        try (RunLock lock = RunLock.acquire(out)) { // one report per output folder at a time
            html = Report.write(methods, signals, new Report.Options(batch, s, gridSignals, points, data), out, log);
        }
        spec.commandLine().getOut().println("wrote " + html);
        return 0;
    }

    /** Whether a checkpoint's decoder splits the test signals into the given element layout. */
    private static boolean sameElements(Checkpoint.Loaded c, SignalSet set, int[] layout) {
        try {
            return Arrays.equals(c.decoder().layout(set.inDim(), set.points(), set.channels()), layout);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
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
                lower(configOf(c).method())).equals(method)).count();
        Path parent = paths.get(i).toAbsolutePath().getParent();
        return same > 1 && parent != null ? method + " (" + parent.getFileName() + ")" : method;
    }
}
