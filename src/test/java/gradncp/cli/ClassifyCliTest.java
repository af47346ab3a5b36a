package gradncp.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gradncp.data.Images;
import gradncp.io.Safetensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train / eval / info take the classification task, on a tiny image folder of 20 classes. */
class ClassifyCliTest {
    static final String[] TINY = {"--set", "modality=classification", "--set", "decoder=conv4", "--set", "channels=1",
        "--set", "resolution=16", "--set", "width=4", "--set", "ways=3", "--set", "shots=3", "--set", "queries=2",
        "--set", "innerSteps=1", "--set", "innerLr=0.1", "--set", "bootSteps=1", "--set", "metaBatch=2",
        "--set", "outerSteps=3", "--set", "evalEvery=0", "--set", "saveEvery=0", "--set", "testSignals=2",
        "--set", "outerLr=1e-3", "--set", "testSteps=1", "--quiet"};

    /** 20 class folders of 6 noisy 16 px images each, class c a square at place c % 16, brighter for c >= 16. */
    private static Path folder(Path dir) throws Exception {
        SplittableRandom r = new SplittableRandom(1);
        for (int c = 0; c < 20; c++) {
            for (int i = 0; i < 6; i++) {
                float[] px = new float[16 * 16];
                for (int p = 0; p < px.length; p++) {
                    int y = p / 16;
                    int x = p % 16;
                    boolean on = (y / 4) * 4 + x / 4 == c % 16;
                    px[p] = (on ? (c < 16 ? 0.5f : 0.8f) : 0.1f) + 0.1f * (float) r.nextDouble();
                }
                Images.writePng(dir.resolve("data/k" + c + "/" + i + ".png"), px, 16, 16, 1);
            }
        }
        return dir.resolve("data");
    }

    private static String[] train(Path out, Path data, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--out", out.toString(), "--set", "data=" + data));
        a.addAll(List.of(TINY));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    @Test
    void trainResumeEvalAndInfo(@TempDir Path dir) throws Exception {
        Path data = folder(dir);
        TrainCliTest.Run whole = TrainCliTest.run(train(dir.resolve("a"), data, "--set", "method=gradncp"));
        assertEquals(0, whole.code(), whole.err());
        assertTrue(whole.out().contains("3-way 3-shot 2-query"), whole.out());
        TrainCliTest.Run part = TrainCliTest.run(train(dir.resolve("b"), data, "--set", "method=gradncp",
                "--stop-after", "1"));
        assertEquals(0, part.code(), part.err());
        TrainCliTest.Run rest = TrainCliTest.run(train(dir.resolve("b"), data, "--set", "method=gradncp"));
        assertTrue(rest.out().contains("resumed from"), rest.out());
        double[] a = Safetensors.read(dir.resolve("a/last.safetensors")).tensors().get("head.weight").data();
        double[] b = Safetensors.read(dir.resolve("b/last.safetensors")).tensors().get("head.weight").data();
        assertArrayEquals(a, b, 1e-6, "a resumed run sees the same episodes");

        TrainCliTest.Run eval = TrainCliTest.run("eval", "--checkpoint", dir.resolve("a/last.safetensors").toString(),
                "--data", data.toString(), "--episodes", "3", "--steps", "1", "--json");
        assertEquals(0, eval.code(), eval.err());
        JsonNode o = new ObjectMapper().readTree(eval.out());
        assertEquals("3-way 3-shot 2-query", o.get("task").asText());
        assertEquals(3, o.get("episodes").asInt());
        for (String p : List.of("plain", "rescaled")) {
            double acc = o.get("accuracy_" + p).asDouble();
            assertTrue(acc >= 0 && acc <= 1 && o.get("accuracy_" + p + "_ci95").asDouble() >= 0, eval.out());
        }
        TrainCliTest.Run table = TrainCliTest.run("eval", "--checkpoint", dir.resolve("a/last.safetensors").toString(),
                "--data", data.toString(), "--episodes", "1", "--steps", "1", "--protocols", "plain");
        assertTrue(table.out().contains("accuracy (%, 95% CI)") && table.out().contains("plain")
                && !table.out().contains("rescaled "), table.out());

        TrainCliTest.Run info = TrainCliTest.run("info", dir.resolve("a/last.safetensors").toString());
        assertEquals(0, info.code(), info.err());
        assertTrue(info.out().contains("decoder: conv4") && info.out().contains("ways = 3")
                && info.out().contains("task: 3-way 3-shot 2-query"), info.out());
    }

    @Test
    void aFieldDecoderIsRejectedForClassification(@TempDir Path dir) throws Exception {
        TrainCliTest.Run r = TrainCliTest.run(train(dir.resolve("x"), folder(dir), "--set", "decoder=siren"));
        assertTrue(r.code() != 0 && r.err().contains("decoder=conv4"), r.err());
    }
}
