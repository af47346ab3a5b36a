package gradncp.run;

import gradncp.meta.MetaStep;
import gradncp.nn.Decoder;
import gradncp.nn.Params;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * What the one meta-training loop ({@link Trainer#run}) draws its outer steps from and measures
 * itself on: the signals of a {@link gradncp.data.SignalSet} ({@link FieldTasks}), or N-way K-shot
 * classification episodes. The loop owns everything else (resume, lock, stop at a step boundary,
 * divergence guard, Adam, metrics log, checkpoints), so a new kind of task is one implementation of
 * this interface, not a copy of the loop. An implementation holds the run's config.
 */
interface Tasks {
    /** Values kept in every checkpoint (e.g. the sphere's normalisation constants). */
    Map<String, String> metadata();

    /**
     * The meta-gradient of one outer step at theta0 over the next meta-batch, read from the
     * current position, which it then advances; rng seeds the step's random choices.
     */
    MetaStep.Gradient gradient(Decoder decoder, Params theta0, java.util.SplittableRandom rng, MetaStep.Mode mode);

    /** Where the next meta-batch starts (kept in the checkpoint so that a resumed run draws the same batches). */
    long position();

    /** Continues from a checkpoint's position. */
    void seek(long position);

    /**
     * Adds the outer loss's task-specific readings to a metrics row (a field's PSNR after the inner
     * loop; an episode's query cross-entropy) and returns the short form for the console line.
     */
    String outer(Map<String, Object> row, double outerLoss);

    /** Whether there is held-out data to {@link #evaluate} on. */
    boolean canEvaluate();

    /**
     * Evaluates theta on the held-out tasks at step: writes the row and its console line. Asks stop
     * between batches and gives up with {@link Evaluator.Stopped}, writing nothing, once it says true.
     */
    void evaluate(Decoder decoder, Params theta, long step, MetricsLog metrics, PrintWriter log, BooleanSupplier stop)
            throws IOException;
}
