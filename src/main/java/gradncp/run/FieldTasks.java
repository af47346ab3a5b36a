package gradncp.run;

import gradncp.config.MetaConfig;
import gradncp.data.Sampler;
import gradncp.data.SignalSet;
import gradncp.meta.MetaStep;
import gradncp.metrics.Psnr;
import gradncp.nn.Decoder;
import gradncp.nn.Params;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * Neural-field tasks: meta-batches of training signals drawn by a {@link Sampler} (iid or epoch
 * order), meta-gradients from a {@link Trainer.GradientSource} (this process or data-parallel), and
 * plain and rescaled test PSNR/SSIM on the first testSignals held-out signals.
 */
final class FieldTasks implements Tasks {
    private final SignalSet train;
    private final SignalSet test;
    private final Trainer.GradientSource source;
    private final MetaConfig cfg;
    private Sampler sampler;

    FieldTasks(MetaConfig cfg, SignalSet train, SignalSet test, Trainer.GradientSource source) {
        this.cfg = cfg;
        this.train = train;
        this.test = test;
        this.source = source;
        this.sampler = new Sampler(cfg.sampler(), train.size(), cfg.seed(), 0);
    }

    @Override
    public Map<String, String> metadata() {
        return train.metadata();
    }

    @Override
    public MetaStep.Gradient gradient(Decoder decoder, Params theta0, SplittableRandom rng, MetaStep.Mode mode) {
        return source.gradient(decoder, theta0, train, sampler.next(cfg.metaBatch()), cfg, rng, mode);
    }

    @Override
    public long position() {
        return sampler.position();
    }

    @Override
    public void seek(long position) {
        sampler = new Sampler(cfg.sampler(), train.size(), cfg.seed(), position);
    }

    @Override
    public String outer(Map<String, Object> row, double outerLoss) {
        row.put("mse_out", outerLoss);
        row.put("psnr_out", Psnr.fromMse(outerLoss));
        return String.format("psnr_out=%.2f", Psnr.fromMse(outerLoss));
    }

    @Override
    public boolean canEvaluate() {
        return test != null;
    }

    @Override
    public void evaluate(Decoder decoder, Params theta, long step, MetricsLog metrics, PrintWriter log,
            BooleanSupplier stop) throws IOException {
        SignalSet sub = test.head(Math.min(cfg.testSignals(), test.size()));
        Evaluator.Protocol p = Evaluator.Protocol.of(cfg);
        Evaluator.Result plain = Evaluator.evaluate(decoder, theta, sub, p, false, cfg.metaBatch(), stop);
        Evaluator.Result resc = Evaluator.evaluate(decoder, theta, sub, p, true, cfg.metaBatch(), stop);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step);
        row.put("test_psnr_plain", plain.psnr().mean());
        row.put("test_psnr_rescaled", resc.psnr().mean());
        if (sub.hasSsim()) {
            row.put("test_ssim_plain", plain.ssim().mean());
            row.put("test_ssim_rescaled", resc.ssim().mean());
        }
        row.put("test_signals", sub.size());
        metrics.append(row);
        log.printf("eval step=%d test_psnr plain=%.2f rescaled=%.2f", step, plain.psnr().mean(), resc.psnr().mean());
        if (sub.hasSsim()) {
            log.printf(" ssim plain=%.3f rescaled=%.3f", plain.ssim().mean(), resc.ssim().mean());
        }
        log.printf(" (%d signals)%n", sub.size());
        log.flush();
    }
}
