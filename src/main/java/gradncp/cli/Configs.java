package gradncp.cli;

import gradncp.config.MetaConfig;
import gradncp.data.Datasets;
import gradncp.meta.MetaStep;
import gradncp.nn.Decoders;
import gradncp.run.MemoryCheck;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** Loading a run's config from --config and --set, and checking it before any data is made or read. */
final class Configs {
    private Configs() {}

    /**
     * The config of {@code yaml} (may be null) and {@code overrides}. A bad --set value is a usage
     * error (exit 2); a bad file is bad input (exit 1). Both name the key and the value.
     */
    static MetaConfig load(CommandSpec spec, Path yaml, List<String> overrides) throws IOException {
        try {
            MetaConfig.load(null, overrides);
        } catch (IllegalArgumentException e) {
            throw Checks.usage(spec, e.getMessage());
        }
        return MetaConfig.load(yaml, overrides);
    }

    /**
     * For images, whose signal shape the config fixes (resolution, channels): refuses a configuration
     * whose outer step cannot fit the heap before the data set is generated or read. Other
     * modalities are checked by the trainer once their signals are loaded.
     */
    static void requireFitsBeforeLoading(MetaConfig cfg, MetaStep.Mode mode) {
        if (cfg.modality() != MetaConfig.Modality.IMAGE) {
            return;
        }
        long points = (long) cfg.resolution() * cfg.resolution();
        if (points > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("resolution=" + cfg.resolution() + " gives " + points
                    + " pixels per image, more than the engine's 2^31");
        }
        long builtin = builtinCount(cfg.data());
        long dataBytes = builtin * points * cfg.channels() * 4;
        MemoryCheck.requireFits(cfg, Decoders.of(cfg, 2, cfg.channels()), 2, (int) points, cfg.channels(),
                dataBytes, mode, Runtime.getRuntime().maxMemory());
    }

    /** The number of images builtin:text[:N] generates, 0 for other data (unknown until read). */
    private static long builtinCount(String data) {
        if (data == null || !data.startsWith(Datasets.BUILTIN_TEXT)) {
            return 0;
        }
        if (data.length() == Datasets.BUILTIN_TEXT.length()) {
            return Datasets.DEFAULT_TEXT_COUNT;
        }
        try {
            return Math.max(0, Long.parseLong(data.substring(Datasets.BUILTIN_TEXT.length() + 1)));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return 0; // reported by the loader
        }
    }
}
