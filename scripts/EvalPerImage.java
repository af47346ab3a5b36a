import gradncp.config.MetaConfig;
import gradncp.data.Datasets;
import gradncp.data.ImageSignals;
import gradncp.data.SignalSet;
import gradncp.nn.SirenSpec;
import gradncp.run.Checkpoint;
import gradncp.run.Evaluator;
import gradncp.tensor.DType;
import java.nio.file.Path;
import java.util.List;

/**
 * Per-image test scores of an image checkpoint, for paired differences between runs evaluated on
 * the same test images (scripts/ablation.sh). The protocol is the one `gradncp eval` uses with
 * its defaults (test steps from the argument, the checkpoint's inner lr, rescaling at the
 * checkpoint's context ratio, 0.25 for maml), so the means equal `eval --json`'s.
 *
 * <p>Run as a single-file program with the project jar on the class path:
 * {@code java --add-modules jdk.incubator.vector -cp target/gradncp-*.jar scripts/EvalPerImage.java
 * CKPT TEST_DIR STEPS}; prints CSV: image, psnr_plain, ssim_plain, psnr_rescaled, ssim_rescaled.
 */
public class EvalPerImage {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: EvalPerImage CHECKPOINT TEST_DIR STEPS");
            System.exit(2);
        }
        Checkpoint.Loaded c = Checkpoint.load(Path.of(args[0]), null, DType.F32);
        MetaConfig cfg = c.config();
        SignalSet set = new ImageSignals(
                Datasets.load(args[1], cfg.resolution(), ((SirenSpec) c.decoder()).outDim(), cfg.seed() + 7919, false));
        Evaluator.Protocol base = Evaluator.Protocol.of(cfg);
        Evaluator.Protocol p = new Evaluator.Protocol(Integer.parseInt(args[2]), base.lr(), base.contextRatio());
        List<Evaluator.Score> plain = Evaluator.evaluate(c.decoder(), c.params(), set, p, false, 8).scores();
        List<Evaluator.Score> resc = Evaluator.evaluate(c.decoder(), c.params(), set, p, true, 8).scores();
        System.out.println("image,psnr_plain,ssim_plain,psnr_rescaled,ssim_rescaled");
        for (int i = 0; i < plain.size(); i++) {
            System.out.printf(java.util.Locale.ROOT, "%s,%.6f,%.6f,%.6f,%.6f%n", plain.get(i).name(),
                    plain.get(i).psnr(), plain.get(i).ssim(), resc.get(i).psnr(), resc.get(i).ssim());
        }
    }
}
