package gradncp.cli;

import gradncp.run.BuildVersion;
import gradncp.run.DivergedException;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine;

/**
 * Entry point of the {@code gradncp} command. The only place that turns exceptions into exit
 * codes ({@link ExitCode}) and the only caller of {@link System#exit}.
 */
@Command(
        name = "gradncp",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        showDefaultValues = true,
        sortOptions = false,
        description = {
            "GradNCP: meta-learned SIREN neural fields with gradient-based context pruning"
                    + " (Tack et al., NeurIPS 2023), in Java."
        },
        subcommands = {
            GradcheckCommand.class,
            InfoCommand.class,
            DemoCommand.class,
            TrainCommand.class,
            FitCommand.class,
            EvalCommand.class,
            ReportCommand.class,
            ExportCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {
    static final String NAME = "gradncp";

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "Print stack traces of errors and more diagnostics on stderr.")
    boolean verbose;

    private Main() {}

    public static void main(String[] args) {
        // Warnings of the data loaders (java.util.logging) as one line each, like the errors.
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", NAME + ": %4$s: %5$s%6$s%n");
        }
        System.exit(run(System.out, System.err, args));
    }

    /**
     * Runs the command line without exiting the JVM.
     *
     * @return the process exit code (see {@link ExitCode})
     */
    public static int run(PrintStream out, PrintStream err, String... args) {
        CommandLine cl = commandLine(out, err);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            // Not a bug in the input: the heap is too small for what was asked (train checks its step
            // before it starts; data sets, evaluation and rendering are not accounted).
            err.println(NAME + ": error: out of memory (" + oneLine(e.getMessage()) + ", max heap "
                    + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB); run with a larger"
                    + " GRADNCP_JAVA_OPTS=-Xmx..., or less data, a lower resolution or a smaller batch");
            err.flush();
            return ExitCode.ERROR.code();
        }
    }

    /** The configured command line (streams, exit codes, handlers). */
    static CommandLine commandLine(PrintStream out, PrintStream err) {
        return configure(new CommandLine(new Main()), out, err);
    }

    /** Applies streams, exit codes and handlers to a command line built on {@link Main}. */
    static CommandLine configure(CommandLine cl, PrintStream out, PrintStream err) {
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setColorScheme(Help.defaultColorScheme(
                out == System.out ? Help.Ansi.AUTO : Help.Ansi.OFF));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setAbbreviatedOptionsAllowed(false);
        cl.setUsageHelpAutoWidth(true);
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode c : ExitCode.values()) {
            codes.put(Integer.toString(c.code()), c.description());
        }
        setExitCodes(cl, codes);
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionExceptionHandler(
                (ex, cmd, parseResult) -> error(ex, cmd, verbose(parseResult)));
        return cl;
    }

    private static void setExitCodes(CommandLine cl, Map<String, String> codes) {
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n");
        cl.getCommandSpec().usageMessage().exitCodeList(codes);
        for (CommandLine sub : cl.getSubcommands().values()) {
            setExitCodes(sub, codes);
        }
    }

    private static boolean verbose(ParseResult pr) {
        for (ParseResult p = pr; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** Usage problems: one line with the message and where to look, exit 2. */
    private static int usageError(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        StringBuilder line = new StringBuilder(NAME + ": error: ").append(oneLine(ex.getMessage()));
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            line.append(" (did you mean ")
                    .append(String.join(" or ", u.getSuggestions().subList(
                            0, Math.min(3, u.getSuggestions().size()))))
                    .append("?)");
        }
        line.append("; see '").append(cmd.getCommandSpec().qualifiedName()).append(" --help'");
        err.println(line);
        if (verbose(cmd.getParseResult())) {
            ex.printStackTrace(err);
        }
        err.flush();
        return ExitCode.USAGE.code();
    }

    /** Everything thrown by a command: one line on stderr, the stack trace only with --verbose. */
    private static int error(Exception ex, CommandLine cmd, boolean verbose) {
        PrintWriter err = cmd.getErr();
        int code;
        boolean trace = verbose;
        if (ex instanceof DivergedException) {
            err.println(NAME + ": diverged: " + oneLine(ex.getMessage()));
            code = ExitCode.DIVERGED.code();
        } else if (ex instanceof IllegalArgumentException
                || ex instanceof IllegalStateException
                || ex instanceof IOException
                || ex instanceof UncheckedIOException) {
            err.println(NAME + ": error: " + describe(ex));
            code = ExitCode.ERROR.code();
        } else {
            // A bug: say so, and always show where.
            err.println(NAME + ": internal error: " + ex);
            trace = true;
            code = ExitCode.ERROR.code();
        }
        if (trace) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** A one-line, human message for an expected exception. */
    static String describe(Throwable ex) {
        Throwable t = ex instanceof UncheckedIOException && ex.getCause() != null
                ? ex.getCause() : ex;
        if (t instanceof FileSystemException fse && fse.getReason() == null) {
            String what = t instanceof NoSuchFileException ? "no such file or directory"
                    : t instanceof AccessDeniedException ? "permission denied"
                    : t instanceof FileAlreadyExistsException ? "file already exists"
                    : t.getClass().getSimpleName();
            String other = fse.getOtherFile() == null ? "" : " -> " + fse.getOtherFile();
            return what + ": " + fse.getFile() + other;
        }
        String msg = t.getMessage();
        if (msg == null || msg.isBlank()) {
            msg = t.getClass().getSimpleName();
        }
        return oneLine(msg);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " | ");
    }

    /** Stub body for commands that are not written yet. */
    static int notImplemented(CommandSpec spec) {
        spec.commandLine().getErr().println(
                NAME + ": " + spec.qualifiedName().substring(NAME.length()).strip()
                        + ": not implemented yet");
        return ExitCode.ERROR.code();
    }

    /** {@code --version}: the Maven version recorded in the jar, plus the runtime. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                NAME + " " + version(),
                "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ", "
                        + System.getProperty("java.vendor") + "), "
                        + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                        + ", " + Runtime.getRuntime().availableProcessors() + " cores, max heap "
                        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB"
            };
        }

        static String version() {
            return BuildVersion.get();
        }
    }
}
