package gradncp.cli;

import gradncp.config.MetaConfig;
import gradncp.data.ClassDatasets;
import gradncp.data.SignalSources;
import gradncp.meta.MetaStep;
import gradncp.run.EpisodeTrainer;
import gradncp.run.Trainer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gradncp train}: meta-train an initialisation (random | maml | gradncp). */
@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Meta-train an initialisation (a SIREN, NeRV for video, NeRF for scenes) for images, audio, video,"
                + " fields on the sphere or multi-view scenes (--set modality=image|audio|video|sphere|scene), or a Conv-4"
                + " classifier on N-way K-shot episodes (--set modality=classification decoder=conv4 data=builtin:glyphs"
                + " ways=5 shots=100). Resumes from OUT/last.safetensors when it exists.")
public class TrainCommand implements Callable<Integer> {
    @Spec protected CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE.yaml", description = "YAML config (keys as in configs/*.yaml).")
    Path config;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs/train", description = "Output folder.")
    Path out;

    @Option(names = "--log-every", defaultValue = "10", description = "Outer steps between metrics.jsonl rows.")
    int logEvery;

    @Option(names = "--no-resume", description = "Start from scratch even if OUT/last.safetensors exists.")
    boolean noResume;

    @Option(names = "--skip-bad", description = "Skip unreadable or too small images (with a warning) instead of failing.")
    boolean skipBad;

    @Option(names = "--stop-after", defaultValue = "0", paramLabel = "STEPS",
            description = "Stop (checkpointed) after this many outer steps in this invocation; run again to resume. 0 = no limit.")
    long stopAfter;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Option(names = "--recompute", description = "Rebuild one inner step at a time in the meta-backward: the same"
            + " meta-gradient with memory independent of K, for about one extra forward+backward per inner step.")
    boolean recompute;

    @Option(names = "--tensorboard", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Also log the metrics rows and the config to a TensorBoard event file in OUT"
                    + " (events.out.tfevents.gradncp); --no-tensorboard turns it off.")
    boolean tensorboard;

    @Override
    public Integer call() throws Exception {
        Checks.atLeast(spec, "--log-every", logEvery, 1);
        Checks.atLeast(spec, "--stop-after", stopAfter, 0);
        Checks.outputFolder(spec, "--out", out);
        MetaConfig cfg = Configs.load(spec, config, overrides);
        Configs.requireFitsBeforeLoading(cfg, MetaStep.Mode.of(recompute));
        PrintWriter log = spec.commandLine().getOut();
        cfg.describe().forEach(log::println);
        log.flush();
        Trainer.Options options = new Trainer.Options(out, logEvery, !noResume, !quiet && System.console() != null,
                stopAfter, MetaStep.Mode.of(recompute), tensorboard);
        if (cfg.modality() == MetaConfig.Modality.CLASSIFICATION) {
            EpisodeTrainer.train(cfg, ClassDatasets.load(cfg.data(), cfg.resolution(), cfg.channels(), cfg.seed()),
                    options, log);
            return 0;
        }
        SignalSources data = SignalSources.of(cfg, skipBad);
        log.printf("data (%s): train %s; test %d%n", cfg.modality().name().toLowerCase(java.util.Locale.ROOT),
                data.train().describe(), data.test().size());
        Trainer.train(cfg, data.train(), data.test(), options, log, gradientSource(cfg, data.train()));
        return 0;
    }

    /** Where the meta-gradients come from: this process; a distributed engine's command overrides it. */
    protected Trainer.GradientSource gradientSource(MetaConfig cfg, gradncp.data.SignalSet train) {
        return Trainer.LOCAL;
    }
}
