package gradncp.data;

import gradncp.config.MetaConfig;
import java.io.IOException;

/** The train and test images of a config: testData if given, else a seeded split (or a fresh Text set). */
public record DataSources(ImageSet train, ImageSet test) {
    public static DataSources of(MetaConfig cfg, boolean skipBad) throws IOException {
        ImageSet all = Datasets.load(cfg.data(), cfg.resolution(), cfg.channels(), cfg.seed(), skipBad);
        if (cfg.testData() != null) {
            ImageSet test = Datasets.load(cfg.testData(), cfg.resolution(), cfg.channels(), cfg.seed() + 1, skipBad);
            return new DataSources(all, test);
        }
        if (cfg.data().startsWith(Datasets.BUILTIN_TEXT)) {
            // a separately seeded draw: test images never seen in training
            ImageSet test = TextImages.generate(cfg.testSignals(), cfg.resolution(), SignalSources.testSeed(cfg.seed()));
            return new DataSources(all, cfg.channels() == 3 ? test : Datasets.toGrey(test));
        }
        int n = Math.max(1, Math.min(cfg.testSignals(), all.size() / 5));
        if (all.size() < 2) {
            throw new IllegalArgumentException("dataset " + cfg.data() + " has " + all.size()
                    + " image(s); need at least 2 to split train/test, or give testData");
        }
        Split s = Split.of(all, n, cfg.seed());
        return new DataSources(s.train(), s.test());
    }
}
