package gradncp.nn;

import gradncp.config.MetaConfig;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The registry of decoders: one entry per network, by the tag that the config key
 * {@code decoder} and checkpoints use. Adding a decoder is one line here.
 */
public final class Decoders {
    /** Builds a decoder from a config and the data's coordinate and channel counts. */
    public interface FromConfig {
        Decoder build(MetaConfig cfg, int inDim, int channels);
    }

    /** One registered decoder: its tag, and how to build it from a config or from its checkpoint spec. */
    public record Entry(String tag, FromConfig fromConfig, Function<Map<String, Object>, Decoder> fromSpec) {}

    private static final List<Entry> ENTRIES = List.of(
            new Entry("siren", SirenSpec::fromConfig, SirenSpec::fromSpec),
            new Entry("nerv", NervSpec::fromConfig, NervSpec::fromSpec),
            new Entry("nerf", NerfSpec::fromConfig, NerfSpec::fromSpec),
            new Entry("conv4", Conv4Spec::fromConfig, Conv4Spec::fromSpec));

    private Decoders() {}

    /** The tags of all registered decoders. */
    public static List<String> tags() {
        return ENTRIES.stream().map(Entry::tag).toList();
    }

    /** The decoder a config names, for data with inDim coordinates and channels values per point. */
    public static Decoder of(MetaConfig cfg, int inDim, int channels) {
        return entry(cfg.decoder()).fromConfig().build(cfg, inDim, channels);
    }

    /** The decoder of a checkpoint: its tag and the spec written by {@link Decoder#specMap}. */
    public static Decoder fromSpec(String tag, Map<String, Object> spec) {
        return entry(tag).fromSpec().apply(spec);
    }

    private static Entry entry(String tag) {
        for (Entry e : ENTRIES) {
            if (e.tag().equals(tag)) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown decoder '" + tag + "'; known: " + String.join(", ", tags()));
    }
}
