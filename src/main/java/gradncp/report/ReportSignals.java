package gradncp.report;

import gradncp.data.SignalSet;
import gradncp.nn.Batch;
import gradncp.nn.Decoder;
import gradncp.nn.Params;
import gradncp.run.Evaluator;
import gradncp.tensor.DType;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * What the report needs from a test set: the modality-specific part of every figure. Images
 * ({@link ImageReportSignals}) and videos ({@link VideoReportSignals}) implement it; an audio set
 * would draw a waveform and use |d/dt| of the samples for {@link #detail}. The analyses
 * ({@link Trajectory}) only see batches, flat values and these hooks.
 *
 * <p>Two indexings meet here. Values (targets, predictions) are a signal's flat values, [P*C]
 * channels-last over its P grid points, as the data holds them. Context elements are what the
 * decoder's context is made of (a pixel for an image SIREN, a (t, h, w) point for a video SIREN,
 * a frame for NeRV): kept contexts, detail masks and the correlation probe index elements.
 */
public interface ReportSignals {
    int size();

    /** Context elements per signal N, as the decoder splits a signal. */
    int elements();

    /** What one element is, singular, for the page's texts ("pixel", "point", "frame"). */
    String elementName();

    String name(int i);

    /** Signal i's target values, [P*C] channels-last, in [0, 1]. */
    float[] target(int i);

    /** The test signals themselves, as the pipeline reads them. */
    SignalSet signals();

    /** Signals [from, from + count) as one batch in the decoder's layout. */
    default Batch batch(Decoder decoder, int from, int count, DType dtype) {
        int[] idx = new int[count];
        Arrays.setAll(idx, i -> from + i);
        return Evaluator.batchOf(signals().subset(idx), decoder, dtype);
    }

    /** The test-set evaluation that {@code gradncp eval} runs (same batching and protocol). */
    default Evaluator.Result evaluate(Decoder decoder, Params theta0, Evaluator.Protocol protocol, boolean rescale,
            int batchSize) {
        return Evaluator.evaluate(decoder, theta0, signals(), protocol, rescale, batchSize);
    }

    /** A picture of one signal's values [P*C'] with C' = 1 (grey) or 3 (RGB), clamped to [0, 1]. */
    BufferedImage picture(float[] values);

    /** The absolute error |pred - target| per grid point (channel mean), colour-mapped with max as the top. */
    BufferedImage errorMap(float[] pred, float[] target, double max);

    /** A picture of one non-negative scalar per element, colour-mapped with max as the top. */
    BufferedImage heatMap(double[] perElement, double max);

    /** The target with the kept elements at full brightness and the others dimmed. */
    BufferedImage keptOverlay(float[] target, int[] kept);

    /**
     * Per element of signal i: does it lie in a high-frequency region of the target? Defines the
     * "detail" share of a selected context (the seed's "global shape first, detail later").
     */
    boolean[] detail(int i);

    /** One line describing the {@link #detail} rule, for the page and the JSON. */
    String detailRule();

    /** How to read one picture (empty when it is plainly one image). */
    default String pictureNote() {
        return "";
    }
}
