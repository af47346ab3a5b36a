package gradncp.run;

import gradncp.config.MetaConfig;
import gradncp.data.ImageSet;
import gradncp.data.ImageSignals;
import gradncp.data.SignalSet;
import gradncp.meta.MetaStep;
import gradncp.nn.Decoder;
import gradncp.nn.Decoders;
import gradncp.nn.Params;
import gradncp.optim.Adam;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Meta-training loop: sample a meta-batch, take an outer step, log, evaluate, checkpoint. Resumes
 * from {@code OUT/last.safetensors} (parameters, Adam state, step, sampler position), and a
 * resumed run produces the same parameters as an uninterrupted one: every random choice is
 * seeded by (seed, step). Checkpoints are written atomically. Any decoder and modality: the
 * config's {@code decoder} is built for the {@link SignalSet}'s coordinates and channels
 * ({@link Decoders#of}), and the set's {@link SignalSet#metadata()} (e.g. the sphere's
 * normalisation constants) goes into every checkpoint. Before anything is written the config is
 * checked against the heap ({@link MemoryCheck}) and against the checkpoint it resumes; then the
 * output folder is locked for the run ({@link RunLock}), SIGTERM stops it at a step boundary with a
 * checkpoint ({@link StopRequest}), and a resume cuts metrics.jsonl back to its checkpoint
 * ({@link MetricsLog}).
 */
public final class Trainer {
    public static final String LAST = "last.safetensors";
    public static final String METRICS = "metrics.jsonl";

    /**
     * Output and logging options. stopAfter: end this invocation after that many outer steps
     * (checkpointed; a later run resumes), 0 for no limit. tensorboard: also log every metrics row
     * to a TensorBoard event file ({@link TensorBoardLog}).
     */
    public record Options(Path out, int logEvery, boolean resume, boolean progress, long stopAfter,
            MetaStep.Mode mode, boolean tensorboard) {
        /** Options with the TensorBoard log on. */
        public Options(Path out, int logEvery, boolean resume, boolean progress, long stopAfter,
                MetaStep.Mode mode) {
            this(out, logEvery, resume, progress, stopAfter, mode, true);
        }

        /** Options that keep the inner loop's graph (the default meta-gradient). */
        public Options(Path out, int logEvery, boolean resume, boolean progress, long stopAfter) {
            this(out, logEvery, resume, progress, stopAfter, MetaStep.Mode.KEPT_GRAPH);
        }
    }

    /**
     * Computes the meta-gradient of one outer step over the training signals at {@code indices}
     * (the meta-batch): in this process ({@link #LOCAL}) or data-parallel elsewhere. A source must
     * return the gradient of the meta-batch's mean loss, as {@link MetaStep#gradient} does.
     */
    @FunctionalInterface
    public interface GradientSource {
        MetaStep.Gradient gradient(Decoder decoder, Params theta0, SignalSet train, int[] indices, MetaConfig cfg,
                SplittableRandom rng, MetaStep.Mode mode);
    }

    /** The meta-batch as one batch in this process. */
    public static final GradientSource LOCAL = (decoder, theta0, train, indices, cfg, rng, mode) ->
            MetaStep.gradient(decoder, theta0, Evaluator.batchOf(train.subset(indices), decoder, DType.F32), cfg, rng,
                    mode);

    /** The trained init, its decoder and where it was written. */
    public record Result(Decoder decoder, Params theta, Path checkpoint, long steps) {}

    /**
     * CPU time of the thread that runs the outer step. With one engine thread (-Dgradncp.threads=1)
     * that is all of the step's compute, so it compares methods on a shared machine where wall time
     * (the logged ms) depends on the load; with more threads it is the calling thread's share only.
     */
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private Trainer() {}

    /** The decoder of a config for a set of signals, checked against the data. */
    public static Decoder decoderOf(MetaConfig cfg, SignalSet set) {
        Decoder decoder = Decoders.of(cfg, set.inDim(), set.channels());
        Evaluator.checkShape(decoder, set);
        return decoder;
    }

    public static Result train(MetaConfig cfg, ImageSet train, ImageSet test, Options opt, PrintWriter log)
            throws IOException {
        return train(cfg, new ImageSignals(train), test == null ? null : new ImageSignals(test), opt, log);
    }

    /** Meta-trains on signals of any modality (test may be null: no evaluation). */
    public static Result train(MetaConfig cfg, SignalSet train, SignalSet test, Options opt, PrintWriter log)
            throws IOException {
        return train(cfg, train, test, opt, log, LOCAL);
    }

    /** Meta-trains with the meta-gradients of {@code source} (see {@link GradientSource}). */
    public static Result train(MetaConfig cfg, SignalSet train, SignalSet test, Options opt, PrintWriter log,
            GradientSource source) throws IOException {
        Decoder decoder = decoderOf(cfg, train);
        if (cfg.metaBatch() > train.size()) {
            if (cfg.sampler() == MetaConfig.Sampling.IID) {
                throw new IllegalArgumentException("sampler=iid draws a batch of distinct signals: metaBatch "
                        + cfg.metaBatch() + " is larger than the " + train.size() + " training signals;"
                        + " lower metaBatch, or give more data");
            }
            log.println("warning: metaBatch " + cfg.metaBatch() + " is larger than the " + train.size()
                    + " training signals: every batch holds some signals more than once");
        }
        long dataBytes = 4L * train.points() * train.channels() * (train.size() + (test == null ? 0 : test.size()));
        MemoryCheck.requireFits(cfg, decoder, train.inDim(), train.points(), train.channels(), dataBytes, opt.mode(),
                Runtime.getRuntime().maxMemory());
        if (opt.resume() && Files.exists(opt.out().resolve(LAST))) {
            // Refuse an incompatible checkpoint before the folder is locked or touched (checked again under the lock).
            resumable(opt.out().resolve(LAST), cfg);
        }
        return run(cfg, decoder, new FieldTasks(cfg, train, test, source), opt, log);
    }

    /**
     * The one meta-training loop, for any decoder and any {@link Tasks}: checks the checkpoint it
     * resumes, locks the output folder, then takes outer steps until outerSteps, stopAfter or a
     * stop request, logging, evaluating and checkpointing on the config's schedule.
     */
    static Result run(MetaConfig cfg, Decoder decoder, Tasks tasks, Options opt, PrintWriter log) throws IOException {
        if (opt.resume() && Files.exists(opt.out().resolve(LAST))) {
            // Refuse an incompatible checkpoint before the folder is locked or touched (checked again under the lock).
            resumable(opt.out().resolve(LAST), cfg);
        }
        Map<String, String> extra = new LinkedHashMap<>(tasks.metadata());
        extra.put("method", cfg.method().name().toLowerCase());
        try (RunLock lock = RunLock.acquire(opt.out()); StopRequest stop = new StopRequest()) {
            for (Path p : lock.removeOrphanTemps(opt.out())) {
                log.println("removed " + p + " (left by an interrupted write)");
            }
            return loop(cfg, decoder, tasks, opt, log, extra, stop);
        }
    }

    private static Result loop(MetaConfig cfg, Decoder decoder, Tasks tasks, Options opt, PrintWriter log,
            Map<String, String> extra, StopRequest stop) throws IOException {
        Path last = opt.out().resolve(LAST);
        Path metricsFile = opt.out().resolve(METRICS);
        Params theta = decoder.init(cfg.seed(), DType.F32);
        Adam adam = new Adam(cfg.outerLr(), theta);
        long step = 0;
        long keepRows = 0;
        long keepEventBytes = 0;
        if (opt.resume() && Files.exists(last)) {
            Checkpoint.Loaded c = resumable(last, cfg);
            if (c.state() != null) {
                step = c.state().step();
                tasks.seek(c.state().samplerPosition());
                if (c.state().adamM() != null) {
                    adam.restore(c.state().adamStep(), c.state().adamM(), c.state().adamV());
                }
            }
            theta = c.params();
            String rows = c.metadata().get(MetricsLog.ROWS_KEY);
            keepRows = rows != null ? Long.parseLong(rows) : MetricsLog.rowsUpToStep(metricsFile, step);
            String events = c.metadata().get(MetricsLog.EVENT_BYTES_KEY);
            keepEventBytes = events != null ? Long.parseLong(events) : -1;
            log.println(decoder + ", " + decoder.parameterCount() + " parameters; resumed from " + last
                    + " at step " + step);
            log.flush();
        }
        MetricsLog metrics = MetricsLog.resume(metricsFile, keepRows, opt.tensorboard() ? opt.out() : null,
                keepEventBytes);
        if (opt.tensorboard()) {
            TensorBoardLog.start(opt.out(), cfg, decoder, step);
        }
        long total = cfg.method() == MetaConfig.Method.RANDOM ? 0 : cfg.outerSteps();
        long end = opt.stopAfter() > 0 ? Math.min(total, step + opt.stopAfter()) : total;
        Params[] holder = {theta};
        double lastFinite = Double.NaN;
        try (ProgressBar bar = opt.progress() && total > step ? new ProgressBarBuilder().setTaskName("meta-train")
                .setInitialMax(total).startsFrom(step, java.time.Duration.ZERO).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build() : null) {
            while (step < end && !stop.requested()) {
                step++;
                Memory.resetPeak();
                long t0 = System.nanoTime();
                long cpu0 = CPU.getCurrentThreadCpuTime();
                MetaStep.Gradient g;
                try (Memory.Scope batchScope = Memory.scope()) {
                    // The meta-batch the source builds is released here, not when the collector finds it:
                    // the gradient comes back as plain arrays, so no tensor of the step outlives it.
                    g = tasks.gradient(decoder, holder[0], rngFor(cfg.seed(), step), opt.mode());
                }
                Params before = holder[0];
                MetaStep.Stats s = MetaStep.apply(holder, adam, g, cfg);
                // Adam returned new tensors; the old init is no longer referenced, so its storage goes back
                // to the pool now and the next step's peak counts only that step's tensors.
                before.tensors().forEach(Tensor::release);
                double ms = (System.nanoTime() - t0) / 1e6;
                double cpuMs = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e6;
                if (!Double.isFinite(s.loss())) {
                    throw new DivergedException("loss became " + s.loss() + " at outer step " + step
                            + " (last finite loss " + lastFinite + "); lower outerLr (now " + cfg.outerLr()
                            + "), or check the network's settings (" + decoder.tag() + ", w0 " + cfg.w0()
                            + " for a SIREN) and the data range");
                }
                lastFinite = s.loss();
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", step);
                row.put("loss", s.loss());
                String outer = tasks.outer(row, s.mseOut());
                if (bar != null) {
                    bar.stepTo(step);
                    bar.setExtraMessage(String.format(" loss %.4g %s", s.loss(), outer));
                }
                if (step % opt.logEvery() == 0 || step == total) {
                    row.put("distance", s.distance());
                    row.put("inner_last", s.innerLast());
                    row.put("grad_norm", s.gradNorm());
                    row.put("ms", ms);
                    row.put("cpu_ms", cpuMs);
                    row.put("peak_engine_bytes", Memory.peakBytes());
                    metrics.append(row);
                    if (bar == null) {
                        log.printf("step=%d loss=%.5g %s dist=%.4g ms=%.0f%n", step, s.loss(), outer, s.distance(), ms);
                        log.flush();
                    }
                }
                if (tasks.canEvaluate() && cfg.evalEvery() > 0 && step % cfg.evalEvery() == 0 && step < total) {
                    try {
                        tasks.evaluate(decoder, holder[0], step, metrics, log, stop::requested);
                    } catch (Evaluator.Stopped e) {
                        // Asked to stop: the step's parameters are kept (saved below), its scores are not.
                        log.println("the evaluation at step " + step + " was cut short by the stop request;"
                                + " `gradncp eval --checkpoint " + last + "` scores that step");
                        break;
                    }
                }
                if (cfg.saveEvery() > 0 && step % cfg.saveEvery() == 0) {
                    save(last, decoder, cfg, holder[0], adam, step, tasks, extra, metrics);
                }
            }
        }
        save(last, decoder, cfg, holder[0], adam, step, tasks, extra, metrics);
        log.println("wrote " + last);
        if (step < total) {
            log.println("stopped at step " + step + " of " + total + (stop.requested() ? " (asked to stop)" : "")
                    + "; run the same command again to resume");
        }
        log.flush();
        // Printed before this: once checkpointed, a pending SIGTERM ends the process at once, which is
        // also what it does during the final evaluation below (a rerun of the finished run redoes it).
        stop.checkpointed();
        if (step >= total && tasks.canEvaluate()) {
            tasks.evaluate(decoder, holder[0], step, metrics, log, () -> false);
            log.flush();
        }
        return new Result(decoder, holder[0], last, step);
    }

    /** The checkpoint at last, checked to continue a run of cfg. */
    private static Checkpoint.Loaded resumable(Path last, MetaConfig cfg) throws IOException {
        Checkpoint.Loaded c = Checkpoint.load(last, null, DType.F32);
        requireSameConfig(last, c.config(), cfg, c.state() == null ? 0 : c.state().step());
        return c;
    }

    /** Deterministic per-step randomness (used only by random context selection). */
    public static SplittableRandom rngFor(long seed, long step) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
    }

    private static void save(Path file, Decoder decoder, MetaConfig cfg, Params theta, Adam adam, long step,
            Tasks tasks, Map<String, String> extra, MetricsLog metrics) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>(extra);
        meta.put(MetricsLog.ROWS_KEY, Long.toString(metrics.rows()));
        long events = metrics.eventBytes();
        if (events >= 0) {
            meta.put(MetricsLog.EVENT_BYTES_KEY, Long.toString(events));
        }
        Checkpoint.save(file, decoder, cfg, theta, new Checkpoint.State(step, adam.step(), adam.firstMoment(),
                adam.secondMoment(), tasks.position()), meta);
    }

    /**
     * Resuming needs the config the checkpoint was written with (unknown when saved is null), except
     * for the schedule: evalEvery and saveEvery may change, and the step budget (outerSteps) too as
     * long as it does not fall below the checkpoint's step: a finished run is extended by raising it.
     */
    public static void requireSameConfig(Path last, MetaConfig saved, MetaConfig cfg, long step) {
        if (saved == null) {
            return;
        }
        // the schedule (step budget, evaluation and checkpoint intervals) may change; nothing else may
        if (!saved.withOverrides(java.util.List.of("outerSteps=" + cfg.outerSteps(), "evalEvery=" + cfg.evalEvery(),
                "saveEvery=" + cfg.saveEvery())).equals(cfg)) {
            throw new IllegalArgumentException(last + " was written with a different config; use a new --out,"
                    + " or --no-resume to start over (differences: " + diff(saved, cfg) + ")");
        }
        if (cfg.outerSteps() < step) {
            throw new IllegalArgumentException(last + " is at step " + step + ", past outerSteps="
                    + cfg.outerSteps() + "; raise outerSteps to at least " + step
                    + ", or use a new --out or --no-resume");
        }
    }

    private static String diff(MetaConfig a, MetaConfig b) {
        StringBuilder sb = new StringBuilder();
        Map<String, Object> ma = a.toMap();
        Map<String, Object> mb = b.toMap();
        for (String k : ma.keySet()) {
            if (!java.util.Objects.equals(ma.get(k), mb.get(k))) {
                sb.append(sb.length() > 0 ? ", " : "").append(k).append(": ").append(ma.get(k)).append(" -> ")
                        .append(mb.get(k));
            }
        }
        return sb.toString();
    }
}
