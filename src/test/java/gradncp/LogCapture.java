package gradncp;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects what a class logs (java.util.logging, which System.Logger uses) instead of printing it,
 * so a test can assert an expected warning and the console shows no alarming noise.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final boolean useParent;
    private final List<String> messages = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            synchronized (messages) {
                messages.add(r.getLevel() + ": " + r.getMessage());
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private LogCapture(Class<?> source) {
        logger = Logger.getLogger(source.getName());
        useParent = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
    }

    /** Starts capturing the log of source's logger (named as the class). */
    public static LogCapture of(Class<?> source) {
        return new LogCapture(source);
    }

    /** The captured records as "LEVEL: message", in order. */
    public List<String> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(useParent);
    }
}
