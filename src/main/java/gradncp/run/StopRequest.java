package gradncp.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A graceful stop on SIGTERM or SIGINT (a job scheduler, {@code timeout}, Ctrl-C): while a run is
 * open, a JVM shutdown hook asks the training loop to stop at the next step boundary, then waits
 * until the run has written its checkpoint and closed, so the process ends only after that. Outside
 * a run the hook is not registered and the JVM stops as usual.
 */
final class StopRequest implements AutoCloseable {
    /** How long the hook waits for the current step and the checkpoint before letting the JVM die. */
    private static final long GRACE_MINUTES = 10;

    private volatile boolean requested;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread hook;

    StopRequest() {
        hook = new Thread(() -> {
            requested = true;
            try {
                closed.await(GRACE_MINUTES, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gradncp-stop");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** True once the JVM has been asked to shut down. */
    boolean requested() {
        return requested;
    }

    /**
     * The final checkpoint is written: from here on nothing is lost if the process ends, so a
     * shutdown (pending or later) proceeds at once instead of waiting for the end-of-run evaluation,
     * which a rerun of the finished run repeats (its cut-back logs drop a half-written row).
     */
    void checkpointed() {
        closed.countDown();
    }

    /** The run is done (checkpoint written): lets a pending shutdown proceed. */
    @Override
    public void close() {
        closed.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running and now returns
        }
    }
}
