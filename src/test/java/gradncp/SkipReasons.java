package gradncp;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints why a test was skipped (an assumption, e.g. "shared data not found at ../shared/...") on
 * the console, which otherwise only counts skipped tests. Registered for every test through
 * META-INF/services and junit-platform.properties (extension autodetection).
 */
public final class SkipReasons implements TestWatcher {
    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        System.out.println("[SKIPPED] " + context.getRequiredTestClass().getSimpleName() + "."
                + context.getDisplayName() + ": " + cause.getMessage());
    }

    @Override
    public void testDisabled(ExtensionContext context, java.util.Optional<String> reason) {
        System.out.println("[SKIPPED] " + context.getRequiredTestClass().getSimpleName() + "."
                + context.getDisplayName() + ": " + reason.orElse("disabled"));
    }
}
