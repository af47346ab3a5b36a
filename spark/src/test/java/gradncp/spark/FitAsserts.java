package gradncp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig;
import gradncp.data.ImageSet;
import gradncp.data.Images;
import gradncp.metrics.Psnr;
import gradncp.run.Checkpoint;
import gradncp.run.Evaluator;
import gradncp.run.Render;
import gradncp.tensor.DType;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;

/** The check every distributed-fit test makes: its rows are the single-process fits of the same images. */
final class FitAsserts {
    private FitAsserts() {}

    /**
     * Fits every image of {@code images} (class folders of PNGs) one at a time on gradncp fit's
     * path and asserts that {@code rows} hold the same parameters (relative L2 error at most 1e-6),
     * PSNR and label.
     */
    static void rowsAreSingleProcessFits(MetaConfig cfg, Path ckpt, Path images, List<Row> rows, int steps)
            throws IOException {
        Checkpoint.Loaded c = Checkpoint.load(ckpt, null, DType.F32);
        Evaluator.Protocol p = Fitter.protocol(cfg, steps);
        Map<String, Row> byPath = new HashMap<>();
        rows.forEach(r -> byPath.put(Path.of(java.net.URI.create(r.getAs("path"))).toString(), r));
        List<Path> files = Images.listImageFiles(images);
        assertEquals(files.size(), rows.size());
        for (Path f : files) {
            Images.Image img = Images.read(f, cfg.channels());
            ImageSet one = new ImageSet(new float[][] {img.pixels()}, cfg.resolution(), cfg.channels(),
                    List.of(f.toString()));
            Evaluator.Fitted fitted = Evaluator.fit(c.decoder(), c.params(), one, p, true, true);
            float[] expected = Fitter.flatten(Render.signal(fitted.params(), 0));
            Row row = byPath.get(f.toString());
            assertNotNull(row, "no row for " + f);
            float[] got = Fitter.floats(row.getAs("params"));
            assertEquals(expected.length, got.length);
            double num = 0, den = 0;
            for (int i = 0; i < got.length; i++) {
                num += (got[i] - expected[i]) * (double) (got[i] - expected[i]);
                den += expected[i] * (double) expected[i];
            }
            assertTrue(Math.sqrt(num / den) <= 1e-6, f + ": params differ by " + Math.sqrt(num / den) + " relative");
            assertEquals(Psnr.of(fitted.predictions()[0], img.pixels()), (double) row.getAs("psnr"), 1e-9);
            assertEquals(f.getParent().getFileName().toString(), row.getAs("label"));
        }
    }
}
