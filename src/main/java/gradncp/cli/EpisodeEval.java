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
import java.util.List;
import java.util.Map;

/**
 * {@code gradncp eval} for a classification checkpoint: mean query accuracy and its 95% confidence
 * interval over meta-test episodes of the checkpoint's ways, shots and queries, with the plain
 * (full support) and the GradNCP-rescaled test protocols.
 */
final class EpisodeEval {
    private EpisodeEval() {}

    static void run(Checkpoint.Loaded c, MetaConfig cfg, Path checkpoint, String data, int episodes,
            Evaluator.Protocol p, List<String> protocols, int batch, boolean json, PrintWriter out) throws IOException {
        LabelledImages images = ClassDatasets.load(data, cfg.resolution(), cfg.channels(), cfg.seed());
        EpisodeTrainer.decoderOf(cfg, images);
        Episodes test = EpisodeTrainer.episodes(cfg, images, ClassSplit.Part.TEST);
        long seed = cfg.seed() + EpisodeTrainer.EVAL_SEED;
        Map<String, EpisodeEvaluator.Result> results = new LinkedHashMap<>();
        for (String name : protocols) {
            results.put(name, EpisodeEvaluator.evaluate(c.decoder(), c.params(), test, seed, 0, episodes, p,
                    name.equals("rescaled"), batch));
        }
        String method = c.metadata().getOrDefault("method", cfg.method().name().toLowerCase());
        String task = test.task();
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
            results.forEach((name, r) -> {
                o.put("accuracy_" + name, r.mean());
                o.put("accuracy_" + name + "_ci95", r.ci95());
                o.put("ms_per_episode_" + name, r.msPerEpisode());
            });
            out.println(new ObjectMapper().writeValueAsString(o));
        } else {
            out.printf("checkpoint %s (%s, method %s), %s, %d meta-test episodes of %s, %d steps at lr %.3g,"
                    + " rescale ratio %.3g%n", checkpoint, c.decoder().tag(), method, task, episodes, images.describe(),
                    p.steps(), p.lr(), p.contextRatio());
            out.printf("%-10s %22s %12s%n", "protocol", "accuracy (%, 95% CI)", "ms/episode");
            results.forEach((name, r) -> out.printf("%-10s %14.2f ± %5.2f %12.1f%n", name, 100 * r.mean(),
                    100 * r.ci95(), r.msPerEpisode()));
        }
        out.flush();
    }
}
