package gradncp.run;

import gradncp.config.MetaConfig;
import gradncp.data.ClassSplit;
import gradncp.data.Episodes;
import gradncp.data.LabelledImages;
import gradncp.nn.Decoder;
import gradncp.nn.Decoders;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Meta-training on classification episodes (ALGORITHM.md, Classification): the one training loop
 * ({@link Trainer#run}) over {@link EpisodeTasks}, meta-batches of {@code metaBatch} N-way K-shot
 * episodes from the meta-train classes, with validation accuracy on meta-val episodes every
 * {@code evalEvery} steps. Resume, the run-folder lock, stopping, the metrics log and checkpoints
 * are the loop's, as for fields.
 */
public final class EpisodeTrainer {
    /** Seed offset of meta-val and meta-test episodes, so that they never coincide with training draws. */
    public static final long EVAL_SEED = 7919;

    private EpisodeTrainer() {}

    /** The classifier a config names, checked to read per-element inputs and to classify into cfg.ways(). */
    public static Decoder decoderOf(MetaConfig cfg, LabelledImages data) {
        if (data.channels() != cfg.channels() || data.size() != cfg.resolution()) {
            throw new IllegalArgumentException("the data are " + data.channels() + "-channel " + data.size() + " px"
                    + " images but the config says channels=" + cfg.channels() + " resolution=" + cfg.resolution());
        }
        Decoder decoder = Decoders.of(cfg, 2, cfg.ways());
        if (decoder.readsCoords()) {
            throw new IllegalArgumentException("modality=classification needs a classifier decoder (decoder=conv4), got "
                    + decoder.tag());
        }
        decoder.layout(2, cfg.ways() * cfg.shots(), cfg.ways());
        return decoder;
    }

    /** Episodes of one part of the class split under cfg's ways, shots and queries. */
    public static Episodes episodes(MetaConfig cfg, LabelledImages data, ClassSplit.Part part) {
        return new Episodes(data, ClassSplit.of(data.classes()).part(part), cfg.ways(), cfg.shots(), cfg.queries());
    }

    public static Trainer.Result train(MetaConfig cfg, LabelledImages data, Trainer.Options opt, PrintWriter log)
            throws IOException {
        Decoder decoder = decoderOf(cfg, data);
        EpisodeTasks tasks = new EpisodeTasks(cfg, data, episodes(cfg, data, ClassSplit.Part.TRAIN),
                episodes(cfg, data, ClassSplit.Part.VAL));
        log.println(decoder + ", " + decoder.parameterCount() + " parameters; " + tasks.metadata().get("task")
                + " episodes of " + data.describe());
        log.flush();
        return Trainer.run(cfg, decoder, tasks, opt, log);
    }
}
