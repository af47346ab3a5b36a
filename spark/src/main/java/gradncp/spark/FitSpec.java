package gradncp.spark;

import java.io.Serializable;

/**
 * How every signal of a distributed fit is adapted and stored.
 *
 * @param steps test-time SGD steps from the learned init
 * @param rescale GradNCP's rescaled steps instead of plain full-context steps
 * @param delta store the fitted parameters minus the init instead of the parameters
 * @param batch signals adapted together in one engine batch inside a task
 * @param keepParams store the fitted parameters at all (eval needs only the scores)
 */
public record FitSpec(int steps, boolean rescale, boolean delta, int batch, boolean keepParams)
        implements Serializable {
    public FitSpec {
        if (steps < 0) throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        if (batch < 1) throw new IllegalArgumentException("batch must be >= 1, got " + batch);
    }

    /** The settings as text, part of an output's content key. */
    String describe() {
        return "steps=" + steps + ",rescale=" + rescale + ",delta=" + delta + ",keep=" + keepParams;
    }
}
