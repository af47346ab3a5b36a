package gradncp.run;

import gradncp.config.MetaConfig;
import gradncp.data.Episodes;
import gradncp.data.LabelledImages;
import gradncp.meta.MetaStep;
import gradncp.nn.Batch;
import gradncp.nn.Decoder;
import gradncp.nn.Params;
import gradncp.tensor.DType;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Classification tasks (ALGORITHM.md, Classification): the meta-batch at position p is training
 * episodes p .. p + metaBatch - 1 of the seed, so a resumed run sees the same episodes as an
 * uninterrupted one; the outer reading is the query cross-entropy, and evaluation is query
 * accuracy over testSignals meta-val episodes with the method's own test protocol.
 */
final class EpisodeTasks implements Tasks {
    private final MetaConfig cfg;
    private final Episodes train;
    private final Episodes val;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private long position;

    EpisodeTasks(MetaConfig cfg, LabelledImages data, Episodes train, Episodes val) {
        this.cfg = cfg;
        this.train = train;
        this.val = val;
        metadata.put("task", train.task());
        metadata.put("data_description", data.describe());
    }

    @Override
    public Map<String, String> metadata() {
        return metadata;
    }

    @Override
    public MetaStep.Gradient gradient(Decoder decoder, Params theta0, SplittableRandom rng, MetaStep.Mode mode) {
        Batch batch = train.batch(cfg.seed(), position, cfg.metaBatch(), DType.F32);
        position += cfg.metaBatch();
        return MetaStep.gradient(decoder, theta0, batch, cfg, rng, mode);
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void seek(long position) {
        this.position = position;
    }

    @Override
    public String outer(Map<String, Object> row, double outerLoss) {
        row.put("query_ce", outerLoss);
        return String.format("query_ce=%.4f", outerLoss);
    }

    @Override
    public boolean canEvaluate() {
        return cfg.testSignals() > 0;
    }

    @Override
    public void evaluate(Decoder decoder, Params theta, long step, MetricsLog metrics, PrintWriter log,
            BooleanSupplier stop) throws IOException {
        int n = Math.max(1, cfg.testSignals());
        boolean rescale = cfg.method() == MetaConfig.Method.GRADNCP;
        EpisodeEvaluator.Result r = EpisodeEvaluator.evaluate(decoder, theta, val, cfg.seed()
                + EpisodeTrainer.EVAL_SEED, 0, n, Evaluator.Protocol.of(cfg), rescale, cfg.metaBatch(), stop);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step);
        row.put("val_accuracy", r.mean());
        row.put("val_ci95", r.ci95());
        row.put("val_protocol", rescale ? "rescaled" : "plain");
        row.put("val_episodes", n);
        metrics.append(row);
        log.printf("val step=%d accuracy=%.2f%% ± %.2f (%s, %d episodes)%n", step, 100 * r.mean(), 100 * r.ci95(),
                rescale ? "rescaled" : "plain", n);
        log.flush();
    }
}
