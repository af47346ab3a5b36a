package gradncp.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import gradncp.config.MetaConfig;
import gradncp.data.Sampler;
import gradncp.data.VideoSet;
import gradncp.data.VideoSignals;
import gradncp.io.Safetensors;
import gradncp.meta.InnerLoop.Graph;
import gradncp.meta.NervInnerLoop;
import gradncp.metrics.Psnr;
import gradncp.nn.Nerv;
import gradncp.nn.NervSpec;
import gradncp.nn.ParamSpec;
import gradncp.nn.Params;
import gradncp.optim.Adam;
import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code decoder=nerv}: meta-learning a NeRV video init (SPEC 3.3) with GradNCP's frame pruning
 * ({@link NervInnerLoop}: at every inner step keep the floor(gamma T) frames of highest score).
 * The outer loss is the full-video MSE after K pruned steps (MAML objective; order from the
 * config), clipped and applied with Adam as for the SIREN. Runs resume from {@code OUT/last.safetensors}
 * (parameters, Adam state, step, sampler position), saved every {@code saveEvery} steps and on
 * {@code --stop-after}, as the SIREN trainer does. Not done for NeRV: the bootstrap target and
 * test-time rescaling (eval reports the plain protocol twice, as "plain" and "rescaled" = pruned
 * steps).
 *
 * <p>The network follows the config: T = {@code frames}, output side = {@code resolution}
 * (4 * 2^k: strides 4, 2, 2, ... as the reference's small/large), stem width = {@code width}.
 * Videos must be RGB (channels=3). Checkpoints are safetensors with format {@value #FORMAT}.
 */
public final class NervTrainer {
    public static final String FORMAT = "gradncp-nerv/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A NeRV checkpoint. */
    public record Loaded(NervSpec spec, MetaConfig config, Params params) {}

    /** A NeRV checkpoint with its training state (state null when the file has none). */
    record Resumable(Loaded loaded, Checkpoint.State state) {}

    private NervTrainer() {}

    public static NervSpec specOf(MetaConfig cfg) {
        int q = cfg.resolution() / 4;
        if (cfg.resolution() % 4 != 0 || q < 2 || Integer.bitCount(q) != 1) {
            throw new IllegalArgumentException("decoder=nerv needs resolution = 4 * 2^k (8, 16, 32, 64, 128, 256), got "
                    + cfg.resolution());
        }
        List<Integer> s = new ArrayList<>();
        if (q >= 4) {
            s.add(4);
            q /= 4;
        }
        for (; q > 1; q /= 2) s.add(2);
        int[] strides = s.stream().mapToInt(Integer::intValue).toArray();
        return new NervSpec(cfg.frames(), 40, cfg.width(), 4, strides, NervSpec.channelsFor(32, strides));
    }

    /** Whether {@code file} is a NeRV checkpoint (by its metadata). */
    public static boolean isNerv(Path file) throws IOException {
        return Files.isRegularFile(file) && FORMAT.equals(Safetensors.read(file).metadata().get("format"));
    }

    /** Clips [i...] as a [B, T, 3, H, W] tensor (channel-last frames moved to channel-first). */
    static Tensor tensorOf(VideoSet set, int[] idx) {
        int t = set.frames(), h = set.height(), w = set.width();
        float[] out = new float[idx.length * t * 3 * h * w];
        for (int b = 0; b < idx.length; b++) {
            float[] clip = set.clip(idx[b]);
            for (int f = 0; f < t; f++) {
                for (int p = 0; p < h * w; p++) {
                    for (int c = 0; c < 3; c++) {
                        out[(((b * t + f) * 3 + c) * h * w) + p] = clip[(f * h * w + p) * 3 + c];
                    }
                }
            }
        }
        return Tensor.of(out, idx.length, t, 3, h, w);
    }

    static void check(NervSpec spec, VideoSet set) {
        if (set.channels() != 3 || set.height() != spec.resolution() || set.width() != spec.resolution()
                || set.frames() != spec.timesteps()) {
            throw new IllegalArgumentException("decoder=nerv needs RGB clips of " + spec.timesteps() + " frames of "
                    + spec.resolution() + "x" + spec.resolution() + " (channels=3), got " + set.channels()
                    + " channel(s), " + set.frames() + " frames of " + set.height() + "x" + set.width());
        }
    }

    public static Path train(MetaConfig cfg, VideoSet train, VideoSet test, Trainer.Options opt, PrintWriter log)
            throws IOException {
        NervSpec spec = specOf(cfg);
        check(spec, train);
        Files.createDirectories(opt.out());
        Path last = opt.out().resolve(Trainer.LAST);
        Params theta = Nerv.init(spec, cfg.seed(), DType.F32);
        Adam adam = new Adam(cfg.outerLr(), theta);
        long first = 1;
        long samplerPos = 0;
        if (opt.resume() && Files.exists(last)) {
            Resumable r = loadResumable(last);
            Trainer.requireSameConfig(last, r.loaded().config(), cfg);
            theta = r.loaded().params();
            if (r.state() != null) {
                first = r.state().step() + 1;
                samplerPos = r.state().samplerPosition();
                adam.restore(r.state().adamStep(), r.state().adamM(), r.state().adamV());
            }
            log.println("NeRV " + spec + ", " + spec.parameterCount() + " parameters; resumed from " + last
                    + " at step " + (first - 1));
        } else {
            log.println("NeRV " + spec + ", " + spec.parameterCount() + " parameters; starts from the init");
        }
        Sampler sampler = new Sampler(cfg.sampler(), train.size(), cfg.seed(), samplerPos);
        long total = cfg.method() == MetaConfig.Method.RANDOM ? 0 : cfg.outerSteps();
        double ratio = cfg.method() == MetaConfig.Method.GRADNCP ? cfg.contextRatio() : 1.0;
        Graph graph = cfg.order() == MetaConfig.Order.SECOND ? Graph.SECOND_ORDER : Graph.FIRST_ORDER;
        long stopAt = opt.stopAfter() > 0 ? Math.min(total, first - 1 + opt.stopAfter()) : total;
        for (long step = first; step <= stopAt; step++) {
            List<double[]> grads = new ArrayList<>();
            double loss;
            try (Memory.Scope scope = Memory.scope()) {
                Params leaves = theta.param();
                Tensor l = NervInnerLoop.metaLoss(spec, leaves, tensorOf(train, sampler.next(cfg.metaBatch())),
                        cfg.innerSteps(), cfg.innerLr(), ratio, graph);
                loss = l.item();
                for (Tensor g : Autodiff.grad(l, leaves.tensors(), Autodiff.Mode.DETACHED)) grads.add(g.toDoubleArray());
            }
            if (!Double.isFinite(loss)) {
                throw new DivergedException("NeRV meta-loss became " + loss + " at outer step " + step
                        + "; lower outerLr (now " + cfg.outerLr() + ")");
            }
            double norm = Adam.clip(grads, cfg.clip());
            theta = adam.update(theta, grads);
            if (step % opt.logEvery() == 0 || step == total) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", step);
                row.put("loss", loss);
                row.put("psnr_out", Psnr.fromMse(loss));
                row.put("grad_norm", norm);
                Files.writeString(opt.out().resolve(Trainer.METRICS), JSON.writeValueAsString(row) + "\n",
                        StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                log.printf("step=%d loss=%.5g psnr_out=%.2f (nerv)%n", step, loss, Psnr.fromMse(loss));
                log.flush();
            }
            if (cfg.saveEvery() > 0 && step % cfg.saveEvery() == 0 && step < stopAt) {
                save(last, spec, cfg, theta, state(step, adam, sampler));
            }
        }
        long done = Math.max(first - 1, stopAt);
        save(last, spec, cfg, theta, state(done, adam, sampler));
        if (done < total) {
            log.println("stopped at step " + done + " of " + total + "; run the same command again to resume");
            log.flush();
            return last;
        }
        if (test != null && test.size() > 0) {
            VideoSet sub = new VideoSet(java.util.Arrays.copyOf(test.clips(), Math.min(test.size(),
                    Math.max(1, cfg.testSignals()))), test.frames(), test.height(), test.width(), 3,
                    test.names().subList(0, Math.min(test.size(), Math.max(1, cfg.testSignals()))));
            double psnr = evaluate(spec, theta, sub, cfg.testSteps(), cfg.innerLr(), ratio, cfg.metaBatch()).psnr().mean();
            log.printf("eval test_psnr (nerv, %d pruned steps)=%.2f (%d clips)%n", cfg.testSteps(), psnr, sub.size());
        }
        log.println("wrote " + last);
        log.flush();
        return last;
    }

    /** Adapts theta0 to each clip ({@code steps} SGD steps on the top ratio*T frames) and renders; channel-last. */
    public static float[][] fit(NervSpec spec, Params theta0, VideoSet set, int steps, double lr, double ratio) {
        check(spec, set);
        int[] idx = java.util.stream.IntStream.range(0, set.size()).toArray();
        try (Memory.Scope scope = Memory.scope()) {
            Params start = Autodiff.noGrad(() -> theta0.detach().perSignal(set.size()));
            Params adapted = NervInnerLoop.adapt(spec, start, tensorOf(set, idx), steps, lr, ratio, Graph.NONE).params();
            float[] all = Autodiff.noGrad(() -> Nerv.forward(spec, adapted.detach(), null).toFloatArray());
            int t = set.frames(), hw = set.height() * set.width();
            float[][] out = new float[set.size()][t * hw * 3];
            for (int b = 0; b < set.size(); b++) {
                for (int f = 0; f < t; f++) {
                    for (int c = 0; c < 3; c++) {
                        for (int p = 0; p < hw; p++) {
                            float v = all[(((b * t + f) * 3 + c) * hw) + p];
                            out[b][(f * hw + p) * 3 + c] = Math.min(1f, Math.max(0f, v));
                        }
                    }
                }
            }
            return out;
        }
    }

    /** PSNR and per-frame SSIM after adaptation, in batches. */
    public static Evaluator.Result evaluate(NervSpec spec, Params theta0, VideoSet set, int steps, double lr,
            double ratio, int batchSize) {
        VideoSignals signals = new VideoSignals(set);
        List<Evaluator.Score> scores = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int start = 0; start < set.size(); start += batchSize) {
            int[] idx = java.util.stream.IntStream.range(start, Math.min(set.size(), start + batchSize)).toArray();
            VideoSignals part = (VideoSignals) signals.subset(idx);
            float[][] pred = fit(spec, theta0, part.video(), steps, lr, ratio);
            for (int i = 0; i < idx.length; i++) {
                scores.add(new Evaluator.Score(part.names().get(i), Psnr.of(pred[i], part.values(i)),
                        part.ssim(pred[i], part.values(i))));
            }
        }
        double ms = (System.nanoTime() - t0) / 1e6 / Math.max(1, set.size());
        return new Evaluator.Result(scores, Evaluator.Stat.of(scores.stream().mapToDouble(Evaluator.Score::psnr).toArray()),
                Evaluator.Stat.of(scores.stream().mapToDouble(Evaluator.Score::ssim).toArray()), ms);
    }

    private static Checkpoint.State state(long step, Adam adam, Sampler sampler) {
        return new Checkpoint.State(step, adam.step(), adam.firstMoment(), adam.secondMoment(), sampler.position());
    }

    /** Writes the parameters and, when state is given, the Adam moments (F64), step and sampler position. */
    public static void save(Path file, NervSpec spec, MetaConfig cfg, Params params, Checkpoint.State state)
            throws IOException {
        List<ParamSpec> names = spec.params();
        Map<String, Safetensors.Entry> tensors = Checkpoint.paramEntries(names, params);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("config", cfg.toJson());
        meta.put("method", cfg.method().name().toLowerCase());
        meta.put("nerv", spec.toString());
        Checkpoint.putState(tensors, meta, names, state);
        Safetensors.write(file, tensors, meta);
    }

    /** A checkpoint and its training state, read once; a state must carry the Adam moments. */
    static Resumable loadResumable(Path file) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Loaded loaded = load(file, c);
        Checkpoint.State state = Checkpoint.readState(file, c, loaded.spec().params());
        if (state != null && state.adamM() == null) {
            throw new IllegalArgumentException(file + ": training state without Adam moments; use --no-resume");
        }
        return new Resumable(loaded, state);
    }

    public static Loaded load(Path file) throws IOException {
        return load(file, Safetensors.read(file));
    }

    /** A NeRV checkpoint from contents already read from file (named in errors). */
    public static Loaded load(Path file, Safetensors.Contents c) {
        if (!FORMAT.equals(c.metadata().get("format"))) {
            throw new IllegalArgumentException(file + " is not a NeRV checkpoint (format " + c.metadata().get("format") + ")");
        }
        MetaConfig cfg = MetaConfig.fromJson(c.metadata().get("config"));
        NervSpec spec = specOf(cfg);
        List<Tensor> ts = new ArrayList<>();
        for (ParamSpec p : spec.params()) {
            Safetensors.Entry e = c.tensors().get(p.name());
            if (e == null || !java.util.Arrays.equals(e.shape(), p.shape())) {
                throw new IllegalArgumentException(file + ": tensor '" + p.name() + "' missing or of the wrong shape for "
                        + spec);
            }
            ts.add(Tensor.of(DType.F32, e.data(), p.shape()));
        }
        return new Loaded(spec, cfg, new Params(ts));
    }
}
