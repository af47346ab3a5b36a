package gradncp.run;

/**
 * Training produced a non-finite loss. The command line maps it to exit code 3. The message
 * names the step, the last finite loss and a hint.
 */
public class DivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DivergedException(String message) {
        super(message);
    }
}
