package gradncp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import gradncp.config.MetaConfig;
import gradncp.data.Datasets;
import gradncp.data.ImageSignals;
import gradncp.data.SignalSet;
import gradncp.data.SignalSources;
import gradncp.data.SphereSignals;
import gradncp.run.BuiltinInits;
import gradncp.run.Checkpoint;
import gradncp.run.Evaluator;
import gradncp.tensor.DType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gradncp eval}: test-time adaptation of a learned init over a dataset, plain and rescaled. */
@Command(name = "eval", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Adapt a learned init to every test signal (plain and GradNCP-rescaled steps) and report"
                + " PSNR/SSIM, mean and standard error. The modality comes from the checkpoint. Audio and sphere"
                + " fields have PSNR only: their SSIM is printed as n/a and is null in --json (with ssim_note).")
public final class EvalCommand implements Callable<Integer> {
    static final String LPIPS = "LPIPS unavailable: no weights file";

    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "CKPT", description = "A gradncp checkpoint, or a built-in init: builtin:photos, builtin:text.")
    Path checkpoint;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Test signals of the checkpoint's modality: images (folder, .npy, IDX, builtin:text[:N]),"
                    + " audio (WAV folder/file, builtin:tones[:N]), video (frame folder, GIF, folder of those,"
                    + " builtin:digits[:N]), sphere (folder of .npy fields with lat.npy/lon.npy), scenes (Blender-layout"
                    + " folder or folder of them, builtin:cars[:N]; held-out views are scored), classification"
                    + " (builtin:glyphs, a folder of class subfolders, an *-images-idx3-ubyte file; its meta-test classes).")
    String data;

    @Option(names = "--steps", defaultValue = "16", description = "Test-time SGD steps (K_test).")
    int steps;

    @Option(names = "--lr", description = "Test-time learning rate (default: the checkpoint's innerLr).")
    Double lr;

    @Option(names = "--context-ratio", description = "Context ratio of the rescaled protocol (default: the checkpoint's, 0.25 for maml).")
    Double ratio;

    @Option(names = "--batch", defaultValue = "8", description = "Signals adapted at once.")
    int batch;

    @Option(names = "--limit", defaultValue = "0", description = "Evaluate only the first N signals (0 = all).")
    int limit;

    @Option(names = "--episodes", defaultValue = "600", description = "Classification: meta-test episodes.")
    int episodes;

    @Option(names = "--protocols", split = ",", defaultValue = "plain,rescaled",
            description = "Classification: test protocols to run (plain, rescaled).")
    List<String> protocols;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--lpips-weights", paramLabel = "FILE.safetensors",
            description = "LPIPS (AlexNet) weights exported from the lpips package (see gradncp.metrics.Lpips);"
                    + " without them LPIPS is reported unavailable.")
    java.nio.file.Path lpipsWeights;

    @Override
    public Integer call() throws Exception {
        Checks.atLeast(spec, "--steps", steps, 0);
        Checks.atLeast(spec, "--batch", batch, 1);
        Checks.atLeast(spec, "--limit", limit, 0);
        Checks.positive(spec, "--lr", lr);
        Checks.fraction(spec, "--context-ratio", ratio);
        Checks.file(spec, "--lpips-weights", lpipsWeights);
        Checks.atLeast(spec, "--episodes", episodes, 1);
        Checks.oneOf(spec, "--protocols", protocols, List.of("plain", "rescaled"));
        Checkpoint.Loaded c = Checkpoint.load(BuiltinInits.resolve(checkpoint), null, DType.F32);
        MetaConfig cfg = c.config() != null ? c.config() : MetaConfig.defaults();
        Evaluator.Protocol base = Evaluator.Protocol.of(cfg);
        Evaluator.Protocol p = new Evaluator.Protocol(steps, lr != null ? lr : base.lr(),
                ratio != null ? ratio : base.contextRatio());
        if (cfg.modality() == MetaConfig.Modality.CLASSIFICATION) {
            EpisodeEval.run(c, cfg, checkpoint, data, episodes, p, protocols, batch, json, spec.commandLine().getOut());
            return 0;
        }
        SignalSet set = testSignals(c, cfg, data);
        Evaluator.checkShape(c.decoder(), set);
        if (limit > 0 && limit < set.size()) {
            set = set.head(limit);
        }
        Evaluator.Result plain = Evaluator.evaluate(c.decoder(), c.params(), set, p, false, batch);
        Evaluator.Result resc = Evaluator.evaluate(c.decoder(), c.params(), set, p, true, batch);
        PrintWriter out = spec.commandLine().getOut();
        String method = c.metadata().getOrDefault("method", cfg.method().name().toLowerCase());
        var lpips = set.hasSsim() && cfg.modality() == MetaConfig.Modality.IMAGE
                ? gradncp.metrics.Lpips.load(lpipsWeights) : java.util.Optional.<gradncp.metrics.Lpips>empty();
        if (lpipsWeights != null && lpips.isEmpty()) {
            throw new IllegalArgumentException("LPIPS weights not usable here: " + lpipsWeights
                    + (java.nio.file.Files.exists(lpipsWeights) ? " (images only)" : " (no such file)"));
        }
        String lpipsText = lpips.isEmpty() ? LPIPS : String.format("LPIPS (alex): plain %.4f, rescaled %.4f",
                lpipsMean(lpips.get(), c, set, p, false), lpipsMean(lpips.get(), c, set, p, true));
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("checkpoint", checkpoint.toString());
            o.put("method", method);
            o.put("modality", cfg.modality().name().toLowerCase(java.util.Locale.ROOT));
            o.put("decoder", c.decoder().tag());
            o.put("n_signals", set.size());
            o.put("steps", steps);
            o.put("psnr_plain", plain.psnr().mean());
            o.put("psnr_plain_stderr", plain.psnr().stderr());
            o.put("psnr_rescaled", resc.psnr().mean());
            o.put("psnr_rescaled_stderr", resc.psnr().stderr());
            boolean ssim = set.hasSsim();
            o.put("ssim_plain", ssim ? plain.ssim().mean() : null);
            o.put("ssim_plain_stderr", ssim ? plain.ssim().stderr() : null);
            o.put("ssim_rescaled", ssim ? resc.ssim().mean() : null);
            o.put("ssim_rescaled_stderr", ssim ? resc.ssim().stderr() : null);
            if (!ssim) {
                o.put("ssim_note", "SSIM is not defined for " + o.get("modality")
                        + " (PSNR only; ALGORITHM.md, Metrics)");
            }
            o.put("ms_per_signal_plain", plain.msPerSignal());
            o.put("ms_per_signal_rescaled", resc.msPerSignal());
            o.put("lpips", lpipsText);
            o.put("signals", perSignal(plain, resc, ssim));
            out.println(new ObjectMapper().writeValueAsString(o));
        } else {
            out.printf("checkpoint %s (%s, method %s), %d test signals, %d steps at lr %.3g, rescale ratio %.3g%n",
                    checkpoint, c.decoder().tag(), method, set.size(), steps, p.lr(), p.contextRatio());
            out.printf("%-10s %18s %18s %12s%n", "protocol", "PSNR (dB)", "SSIM", "ms/signal");
            row(out, "plain", plain, set.hasSsim());
            row(out, "rescaled", resc, set.hasSsim());
            out.println(set.hasSsim() ? lpipsText : "SSIM and LPIPS are not defined for "
                    + cfg.modality().name().toLowerCase(java.util.Locale.ROOT) + " (PSNR only)");
        }
        out.flush();
        return 0;
    }

    /**
     * Each signal's scores under both protocols, in the set's order, so that two checkpoints evaluated on
     * the same signals can be compared signal by signal (a paired difference is far tighter than the two
     * means' standard errors when the signals differ in difficulty).
     */
    private static List<Map<String, Object>> perSignal(Evaluator.Result plain, Evaluator.Result resc,
            boolean ssim) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < plain.scores().size(); i++) {
            Evaluator.Score a = plain.scores().get(i);
            Evaluator.Score b = resc.scores().get(i);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", a.name());
            r.put("psnr_plain", a.psnr());
            r.put("psnr_rescaled", b.psnr());
            if (ssim) {
                r.put("ssim_plain", a.ssim());
                r.put("ssim_rescaled", b.ssim());
            }
            rows.add(r);
        }
        return rows;
    }

    /** Mean LPIPS of the adapted reconstructions (refits the set; images only). */
    private double lpipsMean(gradncp.metrics.Lpips net, Checkpoint.Loaded c, SignalSet set, Evaluator.Protocol p,
            boolean rescale) {
        ImageSignals images = (ImageSignals) set;
        int r = images.images().resolution();
        int ch = images.images().channels();
        double sum = 0;
        for (int start = 0; start < set.size(); start += batch) {
            int n = Math.min(batch, set.size() - start);
            int[] idx = java.util.stream.IntStream.range(start, start + n).toArray();
            var part = images.images().subset(idx);
            float[][] pred = Evaluator.fit(c.decoder(), c.params(), part, p, rescale, false).predictions();
            for (int i = 0; i < n; i++) {
                sum += net.distance(pred[i], part.image(i), r, r, ch);
            }
        }
        return sum / set.size();
    }

    private static void row(PrintWriter out, String name, Evaluator.Result r, boolean ssim) {
        if (ssim) {
            out.printf("%-10s %10.3f ± %5.3f %10.4f ± %5.4f %12.1f%n", name, r.psnr().mean(), r.psnr().stderr(),
                    r.ssim().mean(), r.ssim().stderr(), r.msPerSignal());
        } else {
            out.printf("%-10s %10.3f ± %5.3f %18s %12.1f%n", name, r.psnr().mean(), r.psnr().stderr(), "n/a",
                    r.msPerSignal());
        }
    }

    /**
     * The test signals of a checkpoint's modality read from data: images at the config's
     * resolution with the network's channels, other modalities as the config describes them.
     */
    static SignalSet testSignals(Checkpoint.Loaded c, MetaConfig cfg, String data)
            throws java.io.IOException {
        if (cfg.modality() == MetaConfig.Modality.IMAGE) {
            int channels = c.decoder() instanceof gradncp.nn.SirenSpec s ? s.outDim() : cfg.channels();
            return new ImageSignals(Datasets.load(data, cfg.resolution(), channels, SignalSources.testSeed(cfg.seed()), false));
        }
        return Datasets.signals(cfg, data, SignalSources.testSeed(cfg.seed()), false, SphereSignals.rangeOf(c.metadata()));
    }
}
