package gradncp.nn;

import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A neural field's network as the one meta-learning pipeline sees it (docs/ARCHITECTURE.md).
 * The inner loop, context selection, meta-objective, meta-step, trainer, evaluator and
 * checkpoint format are written once against this interface; a decoder supplies only what
 * depends on the network.
 *
 * <p>A signal is N context elements (a pixel or audio sample for a SIREN, a frame for NeRV), each
 * holding the values of one element (its C channels; a frame's H x W x 3). A {@link Batch} holds
 * B signals as values [B, N, e...]. Parameters are per signal ({@link Params#perSignal}): every
 * tensor has a leading batch axis, so each signal adapts its own copy.
 *
 * <p>Adding a decoder: one class implementing this interface plus one entry in
 * {@link Decoders}.
 */
public interface Decoder {
    /** The name written into checkpoints and accepted by the config key {@code decoder}. */
    String tag();

    /** The shape as JSON-friendly values (checkpoint metadata); {@link Decoders#fromSpec} reads it back. */
    Map<String, Object> specMap();

    /** Shared parameter names and shapes, in checkpoint order. */
    List<ParamSpec> params();

    /** Number of scalar parameters. */
    default long parameterCount() {
        long n = 0;
        for (ParamSpec p : params()) {
            n += p.size();
        }
        return n;
    }

    /** The network's own initialisation, drawn from seed. */
    Params init(long seed, DType dtype);

    /**
     * How a signal's values, points x channels on a grid with inDim coordinates (channels last),
     * split into context elements: the shape [N, e...] of one signal in a {@link Batch}.
     *
     * @throws IllegalArgumentException with a message naming what the data would need when this
     *     decoder cannot represent such signals
     */
    int[] layout(int inDim, int points, int channels);

    /** Whether forward reads {@link Batch#coords()} (false: elements are known by their index). */
    boolean readsCoords();

    /** Predictions for elements e of every signal at per-signal params p: [B, k, e...]. */
    Tensor forward(Params p, Batch batch, Elements e);

    /** The output transform applied to the network's last raw output (part of forward). */
    Tensor output(Tensor raw);

    /**
     * GradNCP's per-element score for a range of elements, [B, len], at per-signal params, without
     * gradient: a quantity that ranks elements like the norm of the per-element loss gradient with
     * respect to the last layer (lastLayer = true), or like the per-element error norm alone (false).
     * The javadoc of each implementation derives its formula.
     */
    Tensor scores(Params p, Batch batch, Elements range, boolean lastLayer);

    /**
     * The per-signal loss of predictions against targets, [B, k, e...] x [B, k, e...] -> [B]: the
     * mean over the k elements of each element's loss. By default the mean squared error over
     * elements and their values (a field); a classifier overrides it with cross-entropy.
     */
    default Tensor loss(Tensor pred, Tensor target) {
        int[] axes = new int[pred.rank() - 1];
        for (int a = 0; a < axes.length; a++) {
            axes[a] = a + 1;
        }
        return pred.sub(target).square().mean(false, axes);
    }

    /**
     * One chunk's share of sum_b loss_b when a full-context pass is split into chunks of elements
     * (a scalar): the chunk's summed element losses divided by the n elements of a signal, so that
     * the chunks add up to sum_b {@link #loss}. Must agree with {@link #loss}.
     */
    default Tensor chunkLoss(Tensor pred, Tensor target, int n) {
        int values = pred.size() / (pred.dim(0) * pred.dim(1));
        return pred.sub(target).square().sum().scale(1.0 / ((double) n * values));
    }

    /** Elements per chunk of a full-context pass at batch size b: bounds activation memory. */
    int chunk(int b, int n);
}
