package gradncp.cli;

import static gradncp.cli.TrainCliTest.run;
import static gradncp.cli.TrainCliTest.train;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.run.RunLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run per folder, no leftovers, a metrics log that resumes like the run it belongs to. */
class RunFolderTest {
    /**
     * metrics.jsonl without its timing columns (the only values that differ between two runs), and
     * numbers to 5 significant digits: in one JVM the first run may use the interpreter's sin/cos
     * and the second the JIT's, which differ in the last bit.
     */
    static List<String> rows(Path dir) throws Exception {
        return Files.readAllLines(dir.resolve("metrics.jsonl")).stream()
                .map(l -> l.replaceAll(",\"(cpu_)?ms\":[^,}]*", "").replaceAll(",\"peak_engine_bytes\":[^,}]*", ""))
                .map(l -> Pattern.compile("-?\\d+\\.\\d+(E-?\\d+)?").matcher(l).replaceAll(
                        m -> String.format(Locale.ROOT, "%.5g", Double.parseDouble(m.group()))))
                .toList();
    }

    @Test
    void aSecondRunOnALockedFolderIsRefusedAndWritesNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        try (RunLock held = RunLock.acquire(out)) {
            TrainCliTest.Run r = run(train(out));
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains(out + " is in use by another run (pid "), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(Files.exists(out.resolve("last.safetensors")));
            assertFalse(Files.exists(out.resolve("metrics.jsonl")));
        }
        assertEquals(0, run(train(out)).code(), "the lock is released when its holder closes it");
    }

    @Test
    void fitOnALockedFolderIsRefusedAndWritesNothing(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("fit");
        String[] fit = {"fit", "--checkpoint", "builtin:text", "--input", "builtin:text:1", "--steps", "1",
            "--out", out.toString()};
        try (RunLock held = RunLock.acquire(out)) {
            TrainCliTest.Run r = run(fit);
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains(out + " is in use by another run (pid "), r.err());
            try (var files = Files.list(out)) {
                assertEquals(List.of(out.resolve(RunLock.FILE)), files.toList());
            }
        }
        TrainCliTest.Run r = run(fit);
        assertEquals(0, r.code(), r.err());
        try (var files = Files.list(out)) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".field.safetensors")), "fitted once the lock is free");
        }
    }

    @Test
    void resumeCutsRowsWrittenAfterTheCheckpointAndRemovesOrphanTemps(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(0, run(train(a, "--log-every", "1")).code());
        assertEquals(0, run(train(b, "--log-every", "1", "--stop-after", "3")).code());
        // What a run killed after its checkpoint at step 3 leaves behind: two more rows (one cut
        // short) and the temp file of an interrupted checkpoint write.
        Files.writeString(b.resolve("metrics.jsonl"), "{\"step\":4,\"loss\":1.0}\n{\"step\":5,\"lo",
                StandardOpenOption.APPEND);
        Path orphan = b.resolve(".last.safetensors.k3j2h1.tmp");
        Files.write(orphan, new byte[1000]);
        TrainCliTest.Run r = run(train(b, "--log-every", "1"));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("removed " + orphan), r.out());
        assertFalse(Files.exists(orphan));
        assertEquals(rows(a), rows(b));
        // Running a finished run again re-evaluates but does not add its eval row twice.
        assertEquals(0, run(train(b, "--log-every", "1")).code());
        assertEquals(rows(a), rows(b));
        assertEquals(Files.getPosixFilePermissions(b.resolve("metrics.jsonl")),
                Files.getPosixFilePermissions(b.resolve("last.safetensors")),
                "a checkpoint gets the same permissions as every other output (0644 under umask 022)");
    }

    @Test
    void theScheduleMayChangeOnResume(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        assertEquals(0, run(train(a, "--log-every", "1", "--set", "evalEvery=0")).code());
        assertEquals(0, run(train(b, "--log-every", "1", "--set", "evalEvery=0", "--stop-after", "3")).code());
        TrainCliTest.Run r = run(train(b, "--log-every", "1", "--set", "evalEvery=3", "--set", "saveEvery=2"));
        assertEquals(0, r.code(), r.err());
        assertEquals(rows(a), rows(b), "new evaluation and checkpoint intervals (none falls in steps 4-5) do not change the run");
        assertEquals(1, run(train(b, "--set", "innerLr=0.02", "--set", "outerSteps=8")).code(),
                "anything beyond the schedule is still refused");
    }

    @Test
    void aFinishedRunIsExtendedByRaisingOuterSteps(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        assertEquals(0, run(train(out)).code());
        TrainCliTest.Run more = run(train(out, "--set", "outerSteps=8"));
        assertEquals(0, more.code(), more.err());
        assertTrue(more.out().contains("resumed from") && more.out().contains("at step 6"), more.out());
        assertTrue(rows(out).getLast().contains("\"step\":8"), rows(out).getLast());
        TrainCliTest.Run less = run(train(out, "--set", "outerSteps=7"));
        assertEquals(1, less.code());
        assertTrue(less.err().contains("is at step 8, past outerSteps=7"), less.err());
        TrainCliTest.Run other = run(train(out, "--set", "outerSteps=9", "--set", "width=8"));
        assertEquals(1, other.code());
        assertTrue(other.err().contains("width: 16 -> 8"), other.err());
    }
}
