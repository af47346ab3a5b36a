package gradncp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferenceTest {
    private static final Reference FAKE =
            new Reference(Path.of("/usr/bin/python3"), Path.of("/x/ref.py"), Duration.ofMinutes(1));

    @Test
    void buildsTheBenchCommand() {
        Map<String, String> cfg = new LinkedHashMap<>();
        cfg.put("depth", "5");
        cfg.put("K_maml", "4");
        cfg.put("--gamma", "0.25");
        assertEquals(List.of("/usr/bin/python3", "/x/ref.py", "bench", "--methods", "maml,gradncp",
                        "--res", "64", "--batch", "8", "--json", "--warmup", "3", "--repeats", "5",
                        "--depth", "5", "--K-maml", "4", "--gamma", "0.25"),
                FAKE.benchCommand(List.of("maml", "gradncp"), 64, 8, cfg, 3, 5));
        assertThrows(IllegalArgumentException.class,
                () -> FAKE.benchCommand(List.of(), 64, 8, Map.of(), 3, 5));
        assertThrows(IllegalArgumentException.class,
                () -> FAKE.benchCommand(List.of("fwdbwd"), 0, 8, Map.of(), 3, 5));
        assertThrows(IllegalArgumentException.class,
                () -> FAKE.benchCommand(List.of("fwdbwd"), 8, 8, Map.of("a b", "1"), 3, 5));
    }

    @Test
    void parsesBenchJsonLines() throws IOException {
        String out = "{\"method\": \"fwdbwd\", \"median_ms\": 12.5, \"min_ms\": 11.0, "
                + "\"peak_rss_mb\": 300.2, \"gflop\": 2.4, \"gflops\": 190.0}\n\n"
                + "{\"method\": \"maml\", \"median_ms\": 800, \"min_ms\": 790}\n";
        List<JsonNode> r = Reference.parseBench(out, "cmd");
        assertEquals(2, r.size());
        assertEquals("fwdbwd", r.get(0).get("method").asText());
        assertEquals(12.5, r.get(0).get("median_ms").asDouble());
        assertEquals(300.2, r.get(0).get("peak_rss_mb").asDouble());
        assertEquals(800.0, r.get(1).get("median_ms").asDouble());
    }

    @Test
    void failedMethodLineBecomesAnException() {
        var ex = assertThrows(IOException.class, () -> Reference.parseBench(
                "maml           FAILED rc=1: RuntimeError: out of memory\n", "the-cmd"));
        assertTrue(ex.getMessage().contains("the-cmd") && ex.getMessage().contains("out of memory"),
                ex.getMessage());
        assertThrows(IOException.class, () -> Reference.parseBench("", "cmd"));
    }

    @Test
    void parsesGoldenOutput() throws IOException {
        String out = """
                # wrote init /tmp/i.safetensors (seed 0)
                # golden method=gradncp dtype=float64 S=8 R=16 B=2 cfg=Cfg(depth=5)
                test0 psnr_plain 12.500000 psnr_rescaled 13.250000
                step 0 loss 1.234567890e-01 mse_out 1.0e-01 dist 2.0e-02 inner_last 1.5e-01
                step 1 loss 1.134567890e-01 mse_out 9.0e-02 dist 2.1e-02 inner_last 1.4e-01
                test2 psnr_plain 12.600000 psnr_rescaled 13.350000
                """;
        Reference.Golden g = Reference.parseGolden(out, "cmd");
        assertEquals(2, g.comments().size());
        assertEquals(2, g.steps().size());
        assertEquals(0.1234567890, g.steps().get(0).loss(), 0);
        assertEquals(2.1e-2, g.steps().get(1).dist(), 0);
        assertEquals(12.5, g.psnrPlainBefore(), 0);
        assertEquals(13.35, g.psnrRescaledAfter(), 0);
    }

    @Test
    void childFailureNamesTheCommandAndStderrTail(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")));
        Path script = dir.resolve("fail.sh");
        Files.writeString(script, "echo 'Traceback (most recent call last):' >&2\n"
                + "echo 'ValueError: bad --res' >&2\nexit 4\n");
        Reference r = new Reference(Path.of("/bin/sh"), script, Duration.ofMinutes(1));
        var ex = assertThrows(IOException.class,
                () -> r.bench(List.of("fwdbwd"), 8, 1, Map.of(), 0, 1));
        String m = ex.getMessage();
        assertTrue(m.contains("exit code 4") && m.contains("bench --methods fwdbwd")
                && m.contains("ValueError: bad --res"), m);
        assertFalse(m.contains("\n"), m);
    }

    @Test
    void fakeChildOutputIsParsed(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("ok.sh");
        Files.writeString(script, "echo '{\"method\": \"fwdbwd\", \"median_ms\": 3.5}'\n");
        Reference r = new Reference(Path.of("/bin/sh"), script, Duration.ofMinutes(1));
        assertEquals(3.5, r.bench(List.of("fwdbwd"), 8, 1, Map.of(), 0, 1).get(0)
                .get("median_ms").asDouble());
    }

    @Test
    void missingScriptIsUnavailableWithAReason(@TempDir Path dir) {
        Path missing = dir.resolve("nope.py");
        assertEquals(Optional.empty(), Reference.find(missing));
        assertTrue(Reference.unavailableReason(missing).contains("nope.py"));
    }

    /** Live: only where the shared script and a torch-enabled /usr/bin/python3 exist. */
    @Test
    void liveTinyBench() throws IOException {
        Optional<Reference> ref = Reference.find(null);
        assumeTrue(ref.isPresent(), () -> "reference unavailable: "
                + Reference.unavailableReason(null));
        List<JsonNode> r = ref.get().bench(List.of("fwdbwd"), 8, 1,
                Map.of("depth", "3", "width", "16"), 0, 1);
        assertEquals(1, r.size());
        assertEquals("fwdbwd", r.get(0).get("method").asText());
        assertTrue(r.get(0).get("median_ms").asDouble() > 0);
        assertTrue(r.get(0).get("peak_rss_mb").asDouble() > 0);
    }
}
