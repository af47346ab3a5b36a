package gradncp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import gradncp.config.MetaConfig;
import gradncp.data.ClassDatasets;
import gradncp.data.ClassSplit;
import gradncp.data.Episodes;
import gradncp.data.LabelledImages;
import gradncp.run.Checkpoint;
import gradncp.run.EpisodeEvaluator;
import gradncp.run.EpisodeTrainer;
import gradncp.run.Evaluator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code gradncp eval} for a classification checkpoint: mean query accuracy and its 95% confidence
 * interval over meta-test episodes of the checkpoint's ways, shots and queries, with the plain
 * (full support) and the GradNCP-rescaled test protocols.
 */
final class EpisodeEval {
    private EpisodeEval() {}

    static void run(Checkpoint.Loaded c, MetaConfig cfg, Path checkpoint, String data, int episodes,
            Evaluator.Protocol p, int batch, boolean json, PrintWriter out) throws IOException {
        if (episodes < 1) {
            throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
        }
        LabelledImages images = ClassDatasets.load(data, cfg.resolution(), cfg.channels(), cfg.seed());
        EpisodeTrainer.decoderOf(cfg, images);
        Episodes test = EpisodeTrainer.episodes(cfg, images, ClassSplit.Part.TEST);
        long seed = cfg.seed() + EpisodeTrainer.EVAL_SEED;
        EpisodeEvaluator.Result plain = EpisodeEvaluator.evaluate(c.decoder(), c.params(), test, seed, 0, episodes, p,
                false, batch);
        EpisodeEvaluator.Result resc = EpisodeEvaluator.evaluate(c.decoder(), c.params(), test, seed, 0, episodes, p,
                true, batch);
        String method = c.metadata().getOrDefault("method", cfg.method().name().toLowerCase());
        String task = cfg.ways() + "-way " + cfg.shots() + "-shot " + cfg.queries() + "-query";
        if (json) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("checkpoint", checkpoint.toString());
            o.put("method", method);
            o.put("modality", "classification");
            o.put("decoder", c.decoder().tag());
            o.put("task", task);
            o.put("data", images.describe());
            o.put("episodes", episodes);
            o.put("steps", p.steps());
            o.put("lr", p.lr());
            o.put("context_ratio", p.contextRatio());
            o.put("accuracy_plain", plain.mean());
            o.put("accuracy_plain_ci95", plain.ci95());
            o.put("accuracy_rescaled", resc.mean());
            o.put("accuracy_rescaled_ci95", resc.ci95());
            o.put("ms_per_episode_plain", plain.msPerEpisode());
            o.put("ms_per_episode_rescaled", resc.msPerEpisode());
            out.println(new ObjectMapper().writeValueAsString(o));
        } else {
            out.printf("checkpoint %s (%s, method %s), %s, %d meta-test episodes of %s, %d steps at lr %.3g,"
                    + " rescale ratio %.3g%n", checkpoint, c.decoder().tag(), method, task, episodes, images.describe(),
                    p.steps(), p.lr(), p.contextRatio());
            out.printf("%-10s %22s %12s%n", "protocol", "accuracy (%, 95% CI)", "ms/episode");
            out.printf("%-10s %14.2f ± %5.2f %12.1f%n", "plain", 100 * plain.mean(), 100 * plain.ci95(),
                    plain.msPerEpisode());
            out.printf("%-10s %14.2f ± %5.2f %12.1f%n", "rescaled", 100 * resc.mean(), 100 * resc.ci95(),
                    resc.msPerEpisode());
        }
        out.flush();
    }
}
