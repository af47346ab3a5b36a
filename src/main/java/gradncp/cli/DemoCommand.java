package gradncp.cli;

import gradncp.config.MetaConfig;
import gradncp.data.DataSources;
import gradncp.data.ImageSet;
import gradncp.data.Images;
import gradncp.nn.Params;
import gradncp.run.Evaluator;
import gradncp.run.Trainer;
import gradncp.tensor.DType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gradncp demo}: the main job on built-in data. Meta-trains GradNCP on the generated Text
 * dataset (configs/text_gradncp_small.yaml settings), then evaluates the learned init against
 * the random SIREN init on unseen text images and writes example reconstructions.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Meta-train GradNCP on the built-in Text data (a few minutes on 2 cores), then evaluate it"
                + " against a random init on unseen images and write example fits.")
public final class DemoCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", defaultValue = "runs/demo", paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(names = "--steps", defaultValue = "300", description = "Outer (meta-training) steps.")
    int steps;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a config key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Checks.atLeast(spec, "--steps", steps, 0);
        Checks.outputFolder(spec, "--out", out);
        Checks.outputFolder(spec, "--out", out.resolve("gradncp"));
        PrintWriter w = spec.commandLine().getOut();
        List<String> o = new ArrayList<>(List.of("method=gradncp", "data=builtin:text", "resolution=32", "depth=4",
                "width=128", "metaBatch=4", "outerLr=1e-4", "evalEvery=100", "saveEvery=100", "testSignals=16",
                "outerSteps=" + steps));
        o.addAll(overrides);
        try {
            MetaConfig.defaults().withOverrides(overrides);
        } catch (IllegalArgumentException e) {
            throw Checks.usage(spec, e.getMessage());
        }
        MetaConfig cfg = MetaConfig.defaults().withOverrides(o);
        Configs.requireFitsBeforeLoading(cfg, gradncp.meta.MetaStep.Mode.KEPT_GRAPH);
        w.println("gradncp demo: meta-training GradNCP on generated text images (" + cfg.resolution() + "px, "
                + cfg.outerSteps() + " outer steps, K=" + cfg.innerSteps() + ", gamma=" + cfg.contextRatio()
                + ", L=" + cfg.bootSteps() + ", lambda=" + cfg.bootWeight() + ")");
        w.flush();
        DataSources data = DataSources.of(cfg, false);
        Trainer.Result r = Trainer.train(cfg, data.train(), data.test(),
                new Trainer.Options(out.resolve("gradncp"), 10, true, System.console() != null, 0), w);
        Evaluator.Protocol p = Evaluator.Protocol.of(cfg);
        Params random = r.decoder().init(cfg.seed(), DType.F32);
        ImageSet test = data.test();
        w.printf("%ntest PSNR / SSIM after %d steps on %d unseen images (mean ± s.e.)%n", p.steps(), test.size());
        w.printf("%-22s %18s %18s%n", "init", "PSNR (dB)", "SSIM");
        row(w, "random, plain", Evaluator.evaluate(r.decoder(), random, test, p, false, 8));
        row(w, "random, rescaled", Evaluator.evaluate(r.decoder(), random, test, p, true, 8));
        row(w, "gradncp, plain", Evaluator.evaluate(r.decoder(), r.theta(), test, p, false, 8));
        row(w, "gradncp, rescaled", Evaluator.evaluate(r.decoder(), r.theta(), test, p, true, 8));
        Path ex = out.resolve("examples");
        Files.createDirectories(ex);
        ImageSet few = test.head(Math.min(4, test.size()));
        float[][] fromRandom = Evaluator.fit(r.decoder(), random, few, p, true, false).predictions();
        float[][] fromLearned = Evaluator.fit(r.decoder(), r.theta(), few, p, true, false).predictions();
        int res = few.resolution();
        for (int i = 0; i < few.size(); i++) {
            Images.writePng(ex.resolve(i + "_target.png"), few.image(i), res, res, few.channels());
            Images.writePng(ex.resolve(i + "_random_init.png"), fromRandom[i], res, res, few.channels());
            Images.writePng(ex.resolve(i + "_gradncp.png"), fromLearned[i], res, res, few.channels());
        }
        w.println();
        w.println("learned init: " + r.checkpoint() + "   (try: ./gradncp info " + r.checkpoint() + ")");
        w.println("example fits: " + ex + " (target / random init / gradncp, after " + p.steps() + " rescaled steps)");
        w.println("training log: " + out.resolve("gradncp").resolve(Trainer.METRICS));
        w.flush();
        return 0;
    }

    private static void row(PrintWriter w, String name, Evaluator.Result r) {
        w.printf("%-22s %10.2f ± %5.2f %10.3f ± %5.3f%n", name, r.psnr().mean(), r.psnr().stderr(),
                r.ssim().mean(), r.ssim().stderr());
        w.flush();
    }
}
