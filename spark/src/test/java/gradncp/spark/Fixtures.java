package gradncp.spark;

import gradncp.config.MetaConfig;
import gradncp.data.ImageSet;
import gradncp.data.Images;
import gradncp.data.TextImages;
import gradncp.nn.Decoder;
import gradncp.nn.Decoders;
import gradncp.run.Checkpoint;
import gradncp.tensor.DType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Small deterministic data and checkpoints for the Spark tests. */
final class Fixtures {
    private Fixtures() {}

    /** A small GradNCP image config: 16 px RGB, a 3-layer 32-wide SIREN, meta-batch 4. */
    static MetaConfig config(String... more) throws IOException {
        List<String> o = new java.util.ArrayList<>(List.of("data=builtin:text:16", "resolution=16", "channels=3",
                "depth=3", "width=32", "innerSteps=3", "bootSteps=2", "metaBatch=4", "testSteps=4", "outerSteps=5",
                "evalEvery=0", "saveEvery=0", "outerLr=1e-3", "seed=0"));
        o.addAll(List.of(more));
        return MetaConfig.load(null, o);
    }

    /** Saves the config's initial network as a checkpoint (a fit needs any init of the right shape). */
    static Path checkpoint(MetaConfig cfg, Path dir) throws IOException {
        Decoder d = Decoders.of(cfg, 2, cfg.channels());
        Path f = dir.resolve("init.safetensors");
        Checkpoint.save(f, d, cfg, d.init(cfg.seed(), DType.F32), null, Map.of());
        return f;
    }

    /** count rendered-text images, written as PNGs into class folders a/ and b/ (alternating). */
    static ImageSet pngFolder(Path dir, int count, int resolution) throws IOException {
        ImageSet set = TextImages.generate(count, resolution, 7);
        for (int i = 0; i < count; i++) {
            Path f = dir.resolve(i % 2 == 0 ? "a" : "b").resolve(String.format("img%03d.png", i));
            Files.createDirectories(f.getParent());
            Images.writePng(f, set.image(i), resolution, resolution, set.channels());
        }
        return set;
    }
}
