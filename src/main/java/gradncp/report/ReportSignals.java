package gradncp.report;

import gradncp.nn.Batch;
import gradncp.nn.Params;
import gradncp.nn.Decoder;
import gradncp.run.Evaluator;
import gradncp.tensor.DType;
import java.awt.image.BufferedImage;

/**
 * What the report needs from a test set: the modality-specific part of every figure. This is the
 * extension point for other modalities: images implement it now ({@link ImageReportSignals}); a video
 * set would batch its [T*H*W] grid, draw a strip of frames and use a spatio-temporal gradient
 * for {@link #detail}; an audio set would draw a waveform and use |d/dt| of the samples. The
 * analyses ({@link Trajectory}) only see batches, flat values and these hooks.
 */
public interface ReportSignals {
    int size();

    /** Points per signal N and values per point C. */
    int points();

    int channels();

    String name(int i);

    /** Signal i's target values, [N*C] channel-last, in [0, 1]. */
    float[] target(int i);

    /** Signals [from, from + count) as one batch in the decoder's layout. */
    Batch batch(Decoder decoder, int from, int count, DType dtype);

    /** The test-set evaluation that {@code gradncp eval} runs (same batching and protocol). */
    Evaluator.Result evaluate(Decoder decoder, Params theta0, Evaluator.Protocol protocol, boolean rescale,
            int batchSize);

    /** A picture of one signal's values [N*C'] with C' = 1 (grey) or 3 (RGB), clamped to [0, 1]. */
    BufferedImage picture(float[] values);

    /** A picture of one non-negative scalar per point, colour-mapped with max as the top. */
    BufferedImage heatMap(double[] perPoint, double max);

    /**
     * Per point of signal i: does it lie in a high-frequency region of the target? Defines the
     * "detail" share of a selected context (the seed's "global shape first, detail later").
     */
    boolean[] detail(int i);

    /** One line describing the {@link #detail} rule, for the page and the JSON. */
    String detailRule();
}
