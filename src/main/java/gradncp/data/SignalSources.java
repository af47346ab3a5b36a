package gradncp.data;

import gradncp.config.MetaConfig;
import java.io.IOException;

/**
 * The train and test signals of a config, any modality: {@code testData} if given, else a
 * separately seeded draw for built-in generators, else a seeded split of {@code data} (at most
 * testSignals and a fifth of the set). Sphere test fields are normalised with the training
 * set's constants. Images go through {@link DataSources} unchanged.
 */
public record SignalSources(SignalSet train, SignalSet test) {
    /**
     * The seed of built-in test draws for a training seed: eval, fit and the trainer's evaluation
     * all generate held-out signals with it, so none of them sees a training signal.
     */
    public static long testSeed(long seed) {
        return seed + 7919;
    }

    public static SignalSources of(MetaConfig cfg, boolean skipBad) throws IOException {
        if (cfg.modality() == MetaConfig.Modality.IMAGE) {
            DataSources d = DataSources.of(cfg, skipBad);
            return new SignalSources(new ImageSignals(d.train()), new ImageSignals(d.test()));
        }
        SignalSet all = Datasets.signals(cfg, cfg.data(), cfg.seed(), skipBad, null);
        double[] range = all instanceof SphereSignals s ? new double[] {s.sphere().min(), s.sphere().max()} : null;
        if (cfg.testData() != null) {
            return new SignalSources(all, Datasets.signals(cfg, cfg.testData(), cfg.seed() + 1, skipBad, range));
        }
        if (cfg.data().startsWith("builtin:")) {
            // a separately seeded draw: test signals never seen in training
            String source = cfg.data().replaceFirst(":\\d+$", "") + ":" + Math.max(1, cfg.testSignals());
            return new SignalSources(all, Datasets.signals(cfg, source, testSeed(cfg.seed()), skipBad, range));
        }
        int n = Math.max(1, Math.min(cfg.testSignals(), all.size() / 5));
        SignalSet[] parts = SignalSet.split(all, n, cfg.seed());
        return new SignalSources(parts[1], parts[0]);
    }
}
