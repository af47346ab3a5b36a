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
        JsonNode signals = expected.get("signals");
        assertEquals(expected.get("n_signals").asInt(), signals.size(), "one per-signal row per test signal");
        for (String k : List.of("psnr_plain", "psnr_rescaled", "ssim_plain", "ssim_rescaled")) {
            double sum = 0;
            for (JsonNode s : signals) {
                sum += s.get(k).asDouble();
            }
            assertEquals(expected.get(k).asDouble(), sum / signals.size(), 1e-9, "mean of the per-signal " + k);
        }
        JsonNode curve = gradncp.get("psnr_per_step_rescaled");
        assertEquals(expected.get("psnr_rescaled").asDouble(), curve.get(4).asDouble(), TOLERANCE);
        assertEquals(3, report.get("claims").size());
    }

    /**
     * A NeRV checkpoint (4 clips of 4 frames of 8 x 8, two outer steps): the report runs, names
     * frames as the context elements, draws every figure, and its numbers equal eval's.
     */
    @Test
    void reportOnNervCheckpoint(@TempDir Path dir) throws Exception {
        Path frames = dir.resolve("frames");
        Files.createDirectories(frames);
        for (int t = 0; t < 16; t++) {
            ModalityCliTest.writeMovingSquare(frames.resolve(String.format("frame_%04d.png", t)), t, 8);
        }
        List<String> sets = List.of("modality=video", "decoder=nerv", "data=" + frames, "frames=4", "resolution=8",
                "channels=3", "width=16", "method=gradncp", "contextRatio=0.5", "outerSteps=2", "outerLr=1e-3");
        TrainCliTest.Run train = TrainCliTest.run(ModalityCliTest.trainArgs(dir.resolve("t"), sets));
        assertEquals(0, train.code(), train.err());
        String[] common = {"--checkpoint", dir.resolve("t/last.safetensors").toString(), "--data", frames.toString(),
            "--steps", "3"};
        TrainCliTest.Run r = TrainCliTest.run(concat(new String[] {"report", "--out", dir.resolve("r").toString()},
                common));
        assertEquals(0, r.code(), r.err());
        JsonNode report = new ObjectMapper().readTree(dir.resolve("r/report.json").toFile());
        String html = Files.readString(dir.resolve("r/report.html"));
        assertEquals(6, report.get("figures").size());
        for (JsonNode f : report.get("figures")) {
            assertNotNull(ImageIO.read(dir.resolve("r").resolve(f.asText()).toFile()), f.asText());
        }
        assertEquals(6, html.split("src=\"data:image/png;base64,", -1).length - 1);
        assertFalse(html.contains("{{"), "unfilled placeholder");
        for (String section : List.of("1. Results", "2. PSNR vs adaptation step", "3. Reconstructions",
                "4. Selected context per step", "5. Last-layer approximation", "6. Rescaling", "Claims of the paper")) {
            assertTrue(html.contains(section), section);
        }
        assertTrue(html.contains("context elements are frames") && html.contains("per-frame gradient norm")
                && html.contains("4 frames in reading order") && html.contains("tanh"), "NeRV wording");
        String text = html.replaceAll("data:image/png;base64,[^\"]*", "");
        assertFalse(java.util.regex.Pattern.compile("SIREN|per-point|\\bpoints\\b|pixel").matcher(text).find(),
                "SIREN wording");
        JsonNode settings = report.get("settings");
        assertEquals("nerv", settings.get("decoder").asText());
        assertEquals("frame", settings.get("element").asText());
        assertEquals(4, settings.get("n_signals").asInt());
        assertEquals(4, settings.get("correlation_points").asInt(), "every frame");
        assertEquals(2, report.get("methods").size());
        assertEquals("random", report.get("methods").get(0).get("results").get("method").asText());
        JsonNode gradncp = report.get("methods").get(1);
        TrainCliTest.Run eval = TrainCliTest.run(concat(new String[] {"eval", "--json"}, common));
        assertEquals(0, eval.code(), eval.err());
        JsonNode expected = new ObjectMapper().readTree(eval.out());
        for (String k : METRICS) {
            assertEquals(expected.get(k).asDouble(), gradncp.get("results").get(k).asDouble(), TOLERANCE, k);
        }
        assertEquals(expected.get("psnr_rescaled").asDouble(), gradncp.get("psnr_per_step_rescaled").get(3).asDouble(),
                TOLERANCE);
        // two of four frames kept: the detail share per step is a multiple of 1/8 over 4 clips
        for (JsonNode v : gradncp.get("detail_share_per_step")) {
            assertEquals(0, Math.IEEEremainder(v.asDouble() * 8, 1), 1e-9, v.toString());
        }
        for (JsonNode v : gradncp.get("spearman_gradncp_score_per_step")) {
            assertTrue(v.isNumber() && Math.abs(v.asDouble()) <= 1, v.toString());
        }
    }

    @Test
    void reportRejectsAudioClearly(@TempDir Path dir) {
        TrainCliTest.Run train = TrainCliTest.run(ModalityCliTest.trainArgs(dir.resolve("a"), List.of(
                "modality=audio", "data=builtin:tones:3", "sampleRate=800", "seconds=0.1", "outerSteps=1")));
        assertEquals(0, train.code(), train.err());
        TrainCliTest.Run r = TrainCliTest.run("report", "--checkpoint", dir.resolve("a/last.safetensors").toString(),
                "--data", "builtin:tones:3", "--out", dir.resolve("r").toString());
        TrainCliTest.assertOneLineError(r, "report draws images and videos only, this checkpoint is audio");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
