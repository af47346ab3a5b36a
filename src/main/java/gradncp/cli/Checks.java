package gradncp.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Range checks of option values, run before a command does any work. A bad value is a usage error
 * (exit 2, one line naming the option and the value), as picocli's own type errors are.
 */
final class Checks {
    private Checks() {}

    /** Fails unless {@code min <= value}. */
    static void atLeast(CommandSpec spec, String option, long value, long min) {
        if (value < min) {
            throw usage(spec, option + " must be >= " + min + ", got " + value);
        }
    }

    /** Fails unless {@code min <= value <= max}. */
    static void within(CommandSpec spec, String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw usage(spec, option + " must be in " + min + ".." + max + ", got " + value);
        }
    }

    /** Fails unless value is null (not given) or finite and > 0. */
    static void positive(CommandSpec spec, String option, Double value) {
        if (value != null && !(value > 0 && Double.isFinite(value))) {
            throw usage(spec, option + " must be a finite number > 0, got " + value);
        }
    }

    /** Fails unless value is null (not given) or in (0, 1]. */
    static void fraction(CommandSpec spec, String option, Double value) {
        if (value != null && !(value > 0 && value <= 1)) {
            throw usage(spec, option + " must be in (0, 1], got " + value);
        }
    }

    /** Fails unless every value is one of the allowed names. */
    static void oneOf(CommandSpec spec, String option, List<String> values, List<String> allowed) {
        for (String v : values) {
            if (!allowed.contains(v)) {
                throw usage(spec, option + " takes " + String.join(", ", allowed) + ", got '" + v + "'");
            }
        }
    }

    /** Fails unless path is null or an existing regular file. */
    static void file(CommandSpec spec, String option, Path path) {
        if (path == null) {
            return;
        }
        if (Files.isDirectory(path)) {
            throw usage(spec, option + " " + path + " is a directory, not a file");
        }
        if (!Files.exists(path)) {
            throw usage(spec, option + " " + path + ": no such file");
        }
    }

    /** Fails when path exists and is not a directory (an output folder). */
    static void outputFolder(CommandSpec spec, String option, Path path) {
        if (path != null && Files.exists(path) && !Files.isDirectory(path)) {
            throw usage(spec, option + " " + path + " is a file, not a folder");
        }
    }

    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
