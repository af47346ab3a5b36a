package gradncp.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import gradncp.config.MetaConfig;
import gradncp.data.ClassSplit;
import gradncp.data.Episodes;
import gradncp.data.LabelledImages;
import gradncp.meta.MetaStep;
import gradncp.nn.Batch;
import gradncp.nn.Decoder;
import gradncp.nn.Decoders;
import gradncp.nn.Params;
import gradncp.optim.Adam;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Meta-training on classification episodes (ALGORITHM.md, Classification): the same outer step
 * ({@link MetaStep#run}) as for fields, on a meta-batch of {@code metaBatch} N-way K-shot
 * episodes from the meta-train classes; validation accuracy on meta-val episodes every
 * {@code evalEvery} steps. Episode e of training is drawn from (seed, e), so a resumed run (from
 * {@code OUT/last.safetensors}) sees the same episodes as an uninterrupted one.
 */
public final class EpisodeTrainer {
    /** Seed offset of meta-val and meta-test episodes, so that they never coincide with training draws. */
    public static final long EVAL_SEED = 7919;
    private static final ObjectMapper JSON = new ObjectMapper();

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
        Episodes train = episodes(cfg, data, ClassSplit.Part.TRAIN);
        Episodes val = episodes(cfg, data, ClassSplit.Part.VAL);
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("method", cfg.method().name().toLowerCase());
        extra.put("task", cfg.ways() + "-way " + cfg.shots() + "-shot " + cfg.queries() + "-query");
        extra.put("data_description", data.describe());
        Files.createDirectories(opt.out());
        Path last = opt.out().resolve(Trainer.LAST);
        Params theta = decoder.init(cfg.seed(), DType.F32);
        Adam adam = new Adam(cfg.outerLr(), theta);
        long step = 0;
        if (opt.resume() && Files.exists(last)) {
            Checkpoint.Loaded c = Checkpoint.load(last, null, DType.F32);
            Trainer.requireSameConfig(last, c.config(), cfg);
            theta = c.params();
            if (c.state() != null) {
                step = c.state().step();
                if (c.state().adamM() != null) {
                    adam.restore(c.state().adamStep(), c.state().adamM(), c.state().adamV());
                }
            }
            log.println("resumed from " + last + " at step " + step);
        }
        log.println(decoder + ", " + decoder.parameterCount() + " parameters; " + extra.get("task") + " episodes of "
                + data.describe());
        log.flush();
        long total = cfg.method() == MetaConfig.Method.RANDOM ? 0 : cfg.outerSteps();
        long end = opt.stopAfter() > 0 ? Math.min(total, step + opt.stopAfter()) : total;
        Params[] holder = {theta};
        while (step < end) {
            step++;
            Batch batch = train.batch(cfg.seed(), (step - 1) * cfg.metaBatch(), cfg.metaBatch(), DType.F32);
            Memory.resetPeak();
            long t0 = System.nanoTime();
            MetaStep.Stats s = MetaStep.run(decoder, holder, adam, batch, cfg, Trainer.rngFor(cfg.seed(), step),
                    opt.mode());
            double ms = (System.nanoTime() - t0) / 1e6;
            if (!Double.isFinite(s.loss())) {
                throw new DivergedException("loss became " + s.loss() + " at outer step " + step + "; lower outerLr"
                        + " (now " + cfg.outerLr() + ") or innerLr (now " + cfg.innerLr() + ")");
            }
            if (step % opt.logEvery() == 0 || step == total) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", step);
                row.put("loss", s.loss());
                row.put("query_ce", s.mseOut());
                row.put("distance", s.distance());
                row.put("inner_last", s.innerLast());
                row.put("grad_norm", s.gradNorm());
                row.put("ms", ms);
                row.put("peak_engine_bytes", Memory.peakBytes());
                append(opt.out(), row);
                log.printf("step=%d loss=%.5g query_ce=%.4f dist=%.4g ms=%.0f peak=%.1fMB%n", step, s.loss(),
                        s.mseOut(), s.distance(), ms, Memory.peakBytes() / 1e6);
                log.flush();
            }
            if (cfg.evalEvery() > 0 && step % cfg.evalEvery() == 0 && step < total) {
                validate(decoder, holder[0], cfg, val, step, opt, log);
            }
            if (cfg.saveEvery() > 0 && step % cfg.saveEvery() == 0) {
                save(last, decoder, cfg, holder[0], adam, step, extra);
            }
        }
        save(last, decoder, cfg, holder[0], adam, step, extra);
        if (step < total) {
            log.println("stopped at step " + step + " of " + total + "; run the same command again to resume");
        } else if (cfg.testSignals() > 0) {
            validate(decoder, holder[0], cfg, val, step, opt, log);
        }
        log.println("wrote " + last);
        log.flush();
        return new Trainer.Result(decoder, holder[0], last, step);
    }

    /** Query accuracy on testSignals meta-val episodes with the method's own test protocol. */
    private static void validate(Decoder decoder, Params theta, MetaConfig cfg, Episodes val, long step,
            Trainer.Options opt, PrintWriter log) throws IOException {
        int n = Math.max(1, cfg.testSignals());
        boolean rescale = cfg.method() == MetaConfig.Method.GRADNCP;
        EpisodeEvaluator.Result r = EpisodeEvaluator.evaluate(decoder, theta, val, cfg.seed() + EVAL_SEED, 0, n,
                Evaluator.Protocol.of(cfg), rescale, cfg.metaBatch());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step);
        row.put("val_accuracy", r.mean());
        row.put("val_ci95", r.ci95());
        row.put("val_protocol", rescale ? "rescaled" : "plain");
        row.put("val_episodes", n);
        append(opt.out(), row);
        log.printf("val step=%d accuracy=%.2f%% ± %.2f (%s, %d episodes)%n", step, 100 * r.mean(), 100 * r.ci95(),
                rescale ? "rescaled" : "plain", n);
        log.flush();
    }

    private static void save(Path file, Decoder decoder, MetaConfig cfg, Params theta, Adam adam, long step,
            Map<String, String> extra) throws IOException {
        Checkpoint.save(file, decoder, cfg, theta, new Checkpoint.State(step, adam.step(), adam.firstMoment(),
                adam.secondMoment(), step * cfg.metaBatch()), extra);
    }

    private static void append(Path out, Map<String, Object> row) throws IOException {
        Files.writeString(out.resolve(Trainer.METRICS), JSON.writeValueAsString(row) + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
