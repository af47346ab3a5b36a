package gradncp.cli;

/** Process exit codes of the {@code gradncp} command; {@code --help} lists them. */
public enum ExitCode {
    OK(0, "Success"),
    ERROR(1, "Error: bad input, I/O failure or internal error (message on stderr)"),
    USAGE(2, "Usage error: unknown option, missing or invalid argument"),
    DIVERGED(3, "Training diverged (non-finite loss)");

    private final int code;
    private final String description;

    ExitCode(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /** The numeric process exit code. */
    public int code() {
        return code;
    }

    /** One-line description shown in {@code --help}. */
    public String description() {
        return description;
    }
}
