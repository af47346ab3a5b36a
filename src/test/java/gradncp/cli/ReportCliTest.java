package gradncp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** gradncp report on a tiny trained checkpoint: page, figures, and the eval numbers in report.json. */
class ReportCliTest {
    static final List<String> METRICS = List.of("psnr_plain", "psnr_plain_stderr", "psnr_rescaled",
            "psnr_rescaled_stderr", "ssim_plain", "ssim_plain_stderr", "ssim_rescaled", "ssim_rescaled_stderr");
    /**
     * Same code and data, but this engine's float32 results move in the last bits between runs (two
     * separate `eval` processes differed by 2e-8 dB; it tracks the memory pool's state). 1e-6 (dB,
     * SSIM) is far below any printed digit.
     */
    static final double TOLERANCE = 1e-6;

    @Test
    void reportHasEveryFigureAndEvalNumbers(@TempDir Path dir) throws Exception {
        assertEquals(0, TrainCliTest.run(TrainCliTest.train(dir.resolve("t"))).code());
        String ckpt = dir.resolve("t/last.safetensors").toString();
        String[] common = {"--checkpoint", ckpt, "--data", "builtin:text:3", "--steps", "4"};
        TrainCliTest.Run r = TrainCliTest.run(concat(new String[] {"report", "--out", dir.resolve("r").toString(),
            "--points", "64"}, common));
        assertEquals(0, r.code(), r.err());
        JsonNode report = new ObjectMapper().readTree(dir.resolve("r/report.json").toFile());
        String html = Files.readString(dir.resolve("r/report.html"));
        for (JsonNode f : report.get("figures")) {
            assertNotNull(ImageIO.read(dir.resolve("r").resolve(f.asText()).toFile()), f.asText());
        }
        assertEquals(6, report.get("figures").size());
        assertEquals(6, html.split("src=\"data:image/png;base64,", -1).length - 1);
        assertFalse(html.contains("{{"), "unfilled placeholder");
        TrainCliTest.Run eval = TrainCliTest.run(concat(new String[] {"eval", "--json"}, common));
        JsonNode expected = new ObjectMapper().readTree(eval.out());
        JsonNode gradncp = report.get("methods").get(1);
        for (String k : List.of("n_signals", "steps", "method", "lpips")) {
            assertEquals(expected.get(k), gradncp.get("results").get(k), k);
        }
        for (String k : METRICS) {
            double e = expected.get(k).asDouble();
            assertEquals(e, gradncp.get("results").get(k).asDouble(), TOLERANCE, k);
        }
        JsonNode curve = gradncp.get("psnr_per_step_rescaled");
        assertEquals(expected.get("psnr_rescaled").asDouble(), curve.get(4).asDouble(), TOLERANCE);
        assertEquals(3, report.get("claims").size());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
