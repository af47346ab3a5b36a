package gradncp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.run.DivergedException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(ps(out), ps(err), args);
    }

    private static PrintStream ps(ByteArrayOutputStream b) {
        return new PrintStream(b, true, StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownOptionIsAOneLineUsageError() {
        assertEquals(2, run("--no-such-option"));
        assertEquals(1, err().strip().lines().count(), err());
        assertTrue(err().startsWith("gradncp: error: Unknown option: '--no-such-option'"), err());
        assertFalse(err().contains("\tat "), err());
        assertEquals("", out());
    }

    @Test
    void unknownSubcommandOptionNamesTheSubcommandHelp() {
        assertEquals(2, run("gradcheck", "--order"));
        assertEquals(1, err().strip().lines().count(), err());
        assertTrue(err().contains("'gradncp gradcheck --help'"), err());
    }

    @Test
    void helpListsTheExitCodes() {
        assertEquals(0, run("--help"));
        String help = out();
        assertTrue(help.contains("Exit codes:"), help);
        for (ExitCode c : ExitCode.values()) {
            assertTrue(help.contains(c.code() + "   " + c.description()), help);
        }
        assertTrue(help.contains("gradcheck") && help.contains("bench"), help);
    }

    @Test
    void subcommandHelpShowsDefaults() {
        assertEquals(0, run("bench", "meta", "--help"));
        assertTrue(out().contains("Default: gradncp"), out());
        assertTrue(out().contains("Exit codes:"), out());
    }

    @Test
    void versionPrintsTheName() {
        assertEquals(0, run("--version"));
        assertTrue(out().startsWith("gradncp "), out());
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        private final RuntimeException ex;

        Boom(RuntimeException ex) {
            this.ex = ex;
        }

        @Override
        public Integer call() {
            throw ex;
        }
    }

    private int runBoom(RuntimeException ex, String... args) {
        CommandLine cl = Main.commandLine(ps(out), ps(err));
        cl.addSubcommand("boom", new Boom(ex));
        return Main.configure(cl, ps(out), ps(err)).execute(args);
    }

    @Test
    void illegalArgumentInASubcommandIsOneLineExitOne() {
        int rc = runBoom(new IllegalArgumentException("contextRatio must be in (0, 1], got 1.5"),
                "boom");
        assertEquals(1, rc);
        assertEquals("gradncp: error: contextRatio must be in (0, 1], got 1.5\n",
                err().replace("\r\n", "\n"));
    }

    @Test
    void verboseAddsTheStackTrace() {
        assertEquals(1, runBoom(new IllegalArgumentException("bad"), "--verbose", "boom"));
        assertTrue(err().lines().count() > 1, err());
        assertTrue(err().contains("\tat "), err());
    }

    @Test
    void divergedExitsThree() {
        assertEquals(3, runBoom(new DivergedException("loss is NaN at step 7"), "boom"));
        assertEquals(1, err().strip().lines().count(), err());
    }

    @Test
    void uncheckedIoNamesThePath() {
        var ex = new java.io.UncheckedIOException(
                new java.nio.file.NoSuchFileException("/nope/x.safetensors"));
        assertEquals(1, runBoom(ex, "boom"));
        assertEquals("gradncp: error: no such file or directory: /nope/x.safetensors",
                err().strip());
    }

    @Test
    void benchWithoutSubcommandIsAUsageError() {
        assertEquals(2, run("bench"));
        assertTrue(err().contains("engine, meta or memory"), err());
    }
}
