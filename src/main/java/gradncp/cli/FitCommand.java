package gradncp.cli;

import gradncp.config.MetaConfig;
import gradncp.data.Datasets;
import gradncp.data.ImageSet;
import gradncp.data.Images;
import gradncp.data.Resize;
import gradncp.data.SceneSignals;
import gradncp.data.SignalSet;
import gradncp.data.SignalSources;
import gradncp.data.SphereSignals;
import gradncp.metrics.Psnr;
import gradncp.metrics.Ssim;
import gradncp.nn.Params;
import gradncp.nn.SirenSpec;
import gradncp.run.BuiltinInits;
import gradncp.run.Checkpoint;
import gradncp.run.Evaluator;
import gradncp.run.Render;
import gradncp.run.RunLock;
import gradncp.tensor.DType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gradncp fit}: adapt a learned init to new signals in a few steps. The modality comes from
 * the checkpoint; every fitted field is saved as safetensors, and its reconstruction as: image PNG
 * (training resolution, original size, each --size); audio WAV (and a WAV at each --size Hz);
 * video PNG frames + GIF (and at each --size px); sphere .npy in physical units on the input's
 * lat/lon grid + equirectangular PNG (and on a global --size x 2*size grid).
 */
@Command(name = "fit", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Fit neural fields to new signals from a learned init: writes each fitted field"
                + " (safetensors), its reconstruction (image PNG; audio WAV; video PNG frames + GIF; sphere .npy in"
                + " physical units + equirectangular PNG), and PSNR (and SSIM for images and video).")
public final class FitCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "CKPT", description = "A gradncp checkpoint, or a built-in init: builtin:photos, builtin:text.")
    Path checkpoint;

    @Option(names = "--input", required = true, paramLabel = "FILE_OR_DIR",
            description = "Image(s), WAV file(s), video (frame folder, GIF, folder of those) or sphere field(s) (.npy"
                    + " with lat.npy/lon.npy beside it, or their folder), scenes (Blender-layout folder, builtin:cars[:N]),"
                    + " as the checkpoint's modality needs.")
    Path input;

    @Option(names = "--steps", defaultValue = "16", description = "Test-time SGD steps.")
    int steps;

    @Option(names = "--rescale", description = "Use GradNCP's rescaled test-time steps.")
    boolean rescale;

    @Option(names = "--size", paramLabel = "N", description = "Also render at this size (repeatable): image and video"
            + " side in px, audio sample rate in Hz, sphere latitude rows (columns = 2 N).")
    List<Integer> sizes = new ArrayList<>();

    @Option(names = "--out", defaultValue = "runs/fit", paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Checks.atLeast(spec, "--steps", steps, 0);
        Checks.outputFolder(spec, "--out", out);
        Checkpoint.Loaded c = Checkpoint.load(BuiltinInits.resolve(checkpoint), null, DType.F32);
        MetaConfig cfg = c.config() != null ? c.config() : MetaConfig.defaults();
        for (int s : sizes) {
            Checks.within(spec, "--size", s, 1, maxSize(cfg.modality()));
        }
        if (!input.toString().startsWith("builtin:") && !Files.exists(input)) {
            throw new IllegalArgumentException("input not found: " + input.toAbsolutePath());
        }
        if (cfg.modality() != MetaConfig.Modality.IMAGE || !(c.decoder() instanceof SirenSpec siren)
                || input.toString().startsWith("builtin:")) {
            return fitSignals(c, cfg); // built-in images are generated, not read from files
        }
        int r = cfg.resolution();
        int ch = siren.outDim();
        List<Path> files = Files.isDirectory(input) ? Images.listImageFiles(input) : List.of(input);
        List<Images.Image> images = new ArrayList<>();
        PrintWriter w = spec.commandLine().getOut();
        for (Path f : files) {
            Images.Image img = Images.read(f, ch); // every input is readable before anything is written
            if (img.alphaDropped()) {
                w.println("note: " + f + " has an alpha channel; it is dropped (colours are used as stored)");
            }
            images.add(img);
        }
        Evaluator.Protocol p = new Evaluator.Protocol(steps, cfg.innerLr(), Evaluator.Protocol.of(cfg).contextRatio());
        try (RunLock lock = RunLock.acquire(out)) { // one fit per output folder at a time
            for (int k = 0; k < files.size(); k++) {
                Path f = files.get(k);
                Images.Image img = images.get(k);
                int side = Math.min(img.height(), img.width());
                float[] target = Resize.squareResize(img.pixels(), img.height(), img.width(), ch, r);
                ImageSet one = new ImageSet(new float[][] {target}, r, ch, List.of(f.getFileName().toString()));
                Evaluator.Fitted fitted = Evaluator.fit(c.decoder(), c.params(), one, p, rescale, true);
                Params field = Render.signal(fitted.params(), 0);
                String stem = f.getFileName().toString().replaceFirst("\\.[^.]+$", "");
                Checkpoint.save(out.resolve(stem + ".field.safetensors"), siren, cfg, field, null,
                        Map.of("fitted_from", checkpoint.toString(), "source", f.toString(), "steps", Integer.toString(steps),
                                "rescale", Boolean.toString(rescale)));
                Images.writePng(out.resolve(stem + "_" + r + "px.png"), fitted.predictions()[0], r, r, ch);
                List<Integer> all = new ArrayList<>(sizes);
                if (side != r) {
                    all.add(Math.min(side, 2048));
                }
                for (int s : all) {
                    Images.writePng(out.resolve(stem + "_" + s + "px.png"), Render.renderSquare(siren, field, s), s, s, ch);
                }
                w.printf("%s: psnr %.3f dB, ssim %.4f after %d %s steps -> %s%n", f.getFileName(),
                        Psnr.of(fitted.predictions()[0], target), Ssim.of(fitted.predictions()[0], target, r, r, ch),
                        steps, rescale ? "rescaled" : "plain", out.resolve(stem + "_" + r + "px.png"));
                w.flush();
            }
        }
        return 0;
    }

    /** Frames of a scene's turntable GIF. */
    static final int TURNTABLE_FRAMES = 24;

    /**
     * Audio, video, sphere and scenes, and any decoder other than the SIREN: every signal of the
     * input, one at a time. A scene is adapted on its input views; its held-out views are written
     * and scored, and a turntable GIF is rendered from the fitted field. --size renders a
     * coordinate network (the SIREN) on a resampled grid.
     */

    private int fitSignals(Checkpoint.Loaded c, MetaConfig cfg) throws java.io.IOException {
        PrintWriter w = spec.commandLine().getOut();
        double[] range = SphereSignals.rangeOf(c.metadata());
        if (cfg.modality() == MetaConfig.Modality.SPHERE && range == null) {
            w.println("warning: " + checkpoint + " stores no " + SphereSignals.MIN_KEY + "/" + SphereSignals.MAX_KEY
                    + "; normalising with the input's own min and max");
        }
        // built-in inputs are drawn with the test seed, as eval does: never a training signal
        SignalSet set = Datasets.signals(cfg, input.toString(), SignalSources.testSeed(cfg.seed()), false, range);
        Evaluator.checkShape(c.decoder(), set);
        SirenSpec siren = c.decoder() instanceof SirenSpec s ? s : null;
        if (siren == null && !sizes.isEmpty()) {
            w.println("note: --size is ignored for " + c.decoder().tag() + " (its output size is fixed by the network)");
        }
        Evaluator.Protocol p = new Evaluator.Protocol(steps, cfg.innerLr(), Evaluator.Protocol.of(cfg).contextRatio());
        String unit = switch (cfg.modality()) {
            case AUDIO -> "hz";
            case SPHERE -> "rows";
            default -> "px";
        };
        Set<String> used = new HashSet<>();
        try (RunLock lock = RunLock.acquire(out)) { // one fit per output folder at a time
            for (int i = 0; i < set.size(); i++) {
                SignalSet one = set.subset(new int[] {i});
                String stem = stemOf(one.names().get(0), i, used);
                Evaluator.Fitted fitted = Evaluator.fit(c.decoder(), c.params(), one, p, rescale, true);
                Params field = Render.signal(fitted.params(), 0);
                Map<String, String> meta = new LinkedHashMap<>(set.metadata());
                meta.putAll(Map.of("fitted_from", checkpoint.toString(), "source", one.names().get(0),
                        "steps", Integer.toString(steps), "rescale", Boolean.toString(rescale)));
                Checkpoint.save(out.resolve(stem + ".field.safetensors"), c.decoder(), cfg, field, null, meta);
                float[] pred = fitted.predictions()[0];
                SignalSet scored = Evaluator.scored(one); // a scene's held-out views, else the signal
                List<Path> files = new ArrayList<>(scored.write(out, stem, pred));
                if (one instanceof SceneSignals scene) {
                    Path gif = out.resolve(stem + "_turntable.gif");
                    scene.writeGif(gif, Render.renderAt(c.decoder(), field, scene.turntableRays(TURNTABLE_FRAMES),
                            scene.inDim(), 3), 80);
                    files.add(gif);
                }
                for (int s : siren == null ? List.<Integer>of() : sizes) {
                    SignalSet grid = one.resampled(s);
                    files.addAll(grid.write(out, stem + "_" + s + unit, Render.renderAt(siren, field, grid.coords())));
                }
                double ssim = scored.ssim(pred, scored.values(0));
                w.printf(Locale.ROOT, "%s: psnr %.3f dB%s after %d %s steps -> %s%n", one.names().get(0),
                        Psnr.of(pred, scored.values(0)), one.hasSsim() ? String.format(Locale.ROOT, ", ssim %.4f", ssim) : "",
                        steps, rescale ? "rescaled" : "plain", files);
                w.flush();
            }
        }
        return 0;
    }

    /**
     * The largest --size rendered: a side of 8192 px (768 MiB of floats for an RGB image; from a side
     * of 26755 the pixel count of one image overflows an int), 384 kHz for audio, 8192 latitude rows.
     */
    static int maxSize(MetaConfig.Modality m) {
        return m == MetaConfig.Modality.AUDIO ? 384_000 : 8192;
    }

    /** A file-name stem for a signal name (its last path part, safe characters only), unique in {@code used}. */
    static String stemOf(String name, int index, Set<String> used) {
        String last = Path.of(name.replace('#', '_').replace(':', '_')).getFileName().toString()
                .replaceFirst("\\.(wav|npy|gif|png)$", "").replaceAll("[^A-Za-z0-9._-]+", "_");
        String stem = last.isEmpty() ? "signal" + index : last;
        return used.add(stem) ? stem : stem + "_" + index;
    }
}
