package gradncp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.io.Safetensors;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** train / eval / fit / info through Main.run: resume, outputs, and one-line errors on bad input. */
class TrainCliTest {
    static final String[] TINY = {"--set", "data=builtin:text:12", "--set", "resolution=16", "--set", "width=16",
        "--set", "depth=3", "--set", "metaBatch=2", "--set", "innerSteps=2", "--set", "bootSteps=1",
        "--set", "outerSteps=6", "--set", "evalEvery=0", "--set", "saveEvery=0", "--set", "testSignals=2",
        "--set", "outerLr=1e-3", "--set", "testSteps=2", "--quiet"};

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String[] train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--out", out.toString()));
        a.addAll(List.of(TINY));
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    static double[] params(Path ckpt) throws Exception {
        return Safetensors.read(ckpt).tensors().get("layers.1.weight").data();
    }

    @ParameterizedTest
    @ValueSource(strings = {"epoch", "iid"})
    void resumedRunEqualsUninterruptedRun(String sampler, @TempDir Path dir) throws Exception {
        String set = "sampler=" + sampler;
        assertEquals(0, run(train(dir.resolve("a"), "--set", set)).code());
        Run first = run(train(dir.resolve("b"), "--set", set, "--stop-after", "3"));
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().contains("stopped at step 3"));
        Run second = run(train(dir.resolve("b"), "--set", set));
        assertTrue(second.out().contains("resumed from"), second.out());
        // Equal up to float32 rounding: the Vector API's sin/cos differ in the last bit between the
        // interpreter/C1 (scalar fallback) and C2 (SVML), and a tiny run crosses that JIT boundary.
        double[] a = params(dir.resolve("a/last.safetensors"));
        double[] b = params(dir.resolve("b/last.safetensors"));
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-6 * Math.max(1e-3, Math.abs(a[i])), "parameter " + i);
        }
        assertTrue(java.util.Arrays.stream(a).anyMatch(v -> v != 0));
        assertTrue(Files.readString(dir.resolve("a/metrics.jsonl")).contains("test_psnr_rescaled"));
    }

    @Test
    void evalJsonAndFitAndInfoWork(@TempDir Path dir) throws Exception {
        assertEquals(0, run(train(dir.resolve("t"))).code());
        Path ckpt = dir.resolve("t/last.safetensors");
        Run eval = run("eval", "--checkpoint", ckpt.toString(), "--data", "builtin:text:3", "--steps", "2", "--json");
        assertEquals(0, eval.code(), eval.err());
        for (String k : List.of("psnr_plain", "psnr_rescaled", "ssim_plain", "ssim_rescaled", "n_signals")) {
            assertTrue(eval.out().contains("\"" + k + "\""), k + " missing in " + eval.out());
        }
        Path img = dir.resolve("in.png");
        gradncp.data.Images.writePng(img, new float[24 * 20 * 3], 20, 24, 3);
        Run fit = run("fit", "--checkpoint", ckpt.toString(), "--input", img.toString(), "--steps", "2",
                "--size", "40", "--out", dir.resolve("fit").toString());
        assertEquals(0, fit.code(), fit.err());
        assertTrue(Files.exists(dir.resolve("fit/in_16px.png")) && Files.exists(dir.resolve("fit/in_40px.png")));
        assertTrue(Files.exists(dir.resolve("fit/in.field.safetensors")));
        Run info = run("info", ckpt.toString());
        assertTrue(info.out().contains("gradncp/1") && info.out().contains("innerSteps = 2"), info.out());
    }

    static void assertOneLineError(Run r, String needle) {
        assertEquals(1, r.code(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), "expected one line, got: " + r.err());
        assertTrue(r.err().contains(needle), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace expected");
    }

    @Test
    void badInputGivesOneLineErrors(@TempDir Path dir) throws Exception {
        assertOneLineError(run(train(dir.resolve("x"), "--set", "data=" + dir.resolve("missing"))), "not found");
        Path junk = dir.resolve("junk");
        Files.createDirectories(junk);
        Files.writeString(junk.resolve("a.png"), "not an image");
        assertOneLineError(run(train(dir.resolve("y"), "--set", "data=" + junk)), "a.png");
        Run unknownKey = run(train(dir.resolve("z"), "--set", "fooBar=1"));
        assertEquals(2, unknownKey.code(), "a bad --set is a usage error: " + unknownKey.err());
        assertTrue(unknownKey.err().contains("fooBar"), unknownKey.err());
        Path other = dir.resolve("other.safetensors");
        Files.write(other, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
        assertOneLineError(run("info", other.toString()), "other.safetensors");
        assertOneLineError(run("eval", "--checkpoint", dir.resolve("nope.safetensors").toString(), "--data", "x"),
                "nope.safetensors");
    }

    @Test
    void divergenceStopsWithExitCodeThreeAndAHint(@TempDir Path dir) {
        Run r = run(train(dir.resolve("nan"), "--set", "innerLr=1e12"));
        assertEquals(3, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("outer step 1") && r.err().contains("lower outerLr"), r.err());
    }

    @Test
    void peakEngineMemoryDoesNotGrowFromStepToStep(@TempDir Path dir) throws Exception {
        // Every outer step builds a new meta-batch and Adam a new init; both must be released when the
        // step is done, so a later step's peak is not raised by earlier steps' tensors (which would
        // otherwise stay counted until the collector happens to reclaim them).
        Run r = run(train(dir.resolve("t"), "--log-every", "1"));
        assertEquals(0, r.code(), r.err());
        List<Long> peaks = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("t/metrics.jsonl"))) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"peak_engine_bytes\":(\\d+)").matcher(line);
            if (m.find()) {
                peaks.add(Long.parseLong(m.group(1)));
            }
        }
        assertEquals(6, peaks.size(), peaks.toString());
        for (int i = 2; i < peaks.size(); i++) {
            assertTrue(peaks.get(i) <= peaks.get(1), "peak grew after step 2: " + peaks);
        }
    }
}
