package gradncp.cli;

import gradncp.data.ImageSet;
import gradncp.data.Images;
import gradncp.data.Resize;
import gradncp.io.Checkpoint;
import gradncp.meta.Evaluator;
import gradncp.meta.MetaConfig;
import gradncp.metrics.Psnr;
import gradncp.metrics.Ssim;
import gradncp.nn.Params;
import gradncp.tensor.DType;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gradncp fit}: adapt a learned init to new images in a few steps. */
@Command(name = "fit", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Fit neural fields to new images from a learned init: writes each fitted field"
                + " (safetensors), its reconstruction as PNG (training resolution, original size and any --size),"
                + " and PSNR/SSIM.")
public final class FitCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--checkpoint", required = true, paramLabel = "CKPT", description = "A gradncp checkpoint.")
    Path checkpoint;

    @Option(names = "--input", required = true, paramLabel = "IMAGE_OR_DIR", description = "An image or a folder of images.")
    Path input;

    @Option(names = "--steps", defaultValue = "16", description = "Test-time SGD steps.")
    int steps;

    @Option(names = "--rescale", description = "Use GradNCP's rescaled test-time steps.")
    boolean rescale;

    @Option(names = "--size", paramLabel = "PX", description = "Also render at this square resolution (repeatable).")
    List<Integer> sizes = new ArrayList<>();

    @Option(names = "--out", defaultValue = "runs/fit", paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(input)) {
            throw new IllegalArgumentException("input not found: " + input.toAbsolutePath());
        }
        Checkpoint.Loaded c = Checkpoint.load(checkpoint, null, DType.F32);
        MetaConfig cfg = c.config() != null ? c.config() : MetaConfig.defaults();
        int r = cfg.resolution();
        int ch = c.spec().outDim();
        List<Path> files = Files.isDirectory(input) ? Images.listImageFiles(input) : List.of(input);
        Files.createDirectories(out);
        PrintWriter w = spec.commandLine().getOut();
        Evaluator.Protocol p = new Evaluator.Protocol(steps, cfg.innerLr(), Evaluator.Protocol.of(cfg).contextRatio());
        for (Path f : files) {
            Images.Image img = Images.read(f, ch);
            int side = Math.min(img.height(), img.width());
            float[] target = Resize.squareResize(img.pixels(), img.height(), img.width(), ch, r);
            ImageSet one = new ImageSet(new float[][] {target}, r, ch, List.of(f.getFileName().toString()));
            Evaluator.Fitted fitted = Evaluator.fit(c.spec(), c.params(), one, p, rescale, true);
            Params field = Evaluator.signal(fitted.params(), 0);
            String stem = f.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            Checkpoint.save(out.resolve(stem + ".field.safetensors"), c.spec(), cfg, field, null,
                    Map.of("fitted_from", checkpoint.toString(), "source", f.toString(), "steps", Integer.toString(steps),
                            "rescale", Boolean.toString(rescale)));
            Images.writePng(out.resolve(stem + "_" + r + "px.png"), fitted.predictions()[0], r, r, ch);
            List<Integer> all = new ArrayList<>(sizes);
            if (side != r) {
                all.add(Math.min(side, 2048));
            }
            for (int s : all) {
                Images.writePng(out.resolve(stem + "_" + s + "px.png"), Evaluator.renderSquare(c.spec(), field, s), s, s, ch);
            }
            w.printf("%s: psnr %.3f dB, ssim %.4f after %d %s steps -> %s%n", f.getFileName(),
                    Psnr.of(fitted.predictions()[0], target), Ssim.of(fitted.predictions()[0], target, r, r, ch),
                    steps, rescale ? "rescaled" : "plain", out.resolve(stem + "_" + r + "px.png"));
            w.flush();
        }
        return 0;
    }
}
