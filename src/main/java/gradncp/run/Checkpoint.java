package gradncp.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import gradncp.config.MetaConfig;
import gradncp.io.Safetensors;
import gradncp.nn.Decoder;
import gradncp.nn.Decoders;
import gradncp.nn.ParamSpec;
import gradncp.nn.Params;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one checkpoint format of every decoder: a meta-learned initialisation (or a fitted field)
 * in safetensors (STYLE 3.7). Parameters are named as the decoder names them (for the SIREN, as
 * the PyTorch reference does: {@code layers.{l}.weight [out, in]}, {@code layers.{l}.bias [out]},
 * so either side loads the other's files); optional Adam state ({@code adam.m.*},
 * {@code adam.v.*}, float64) for exact resume; and metadata: format, decoder tag and spec,
 * config, training state and provenance (version, JVM, OS, time). Files written before the
 * decoder tag existed read as SIREN ({@code gradncp/1} without {@code decoder}) or NeRV
 * ({@code gradncp-nerv/1}, its spec rebuilt from the config).
 */
public final class Checkpoint {
    public static final String FORMAT = "gradncp/1";
    /** The format NeRV checkpoints had before they shared this one (read only). */
    static final String LEGACY_NERV = "gradncp-nerv/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Training state besides the parameters (all optional). */
    public record State(long step, long adamStep, double[][] adamM, double[][] adamV, long samplerPosition) {}

    /** What a checkpoint holds. config may be null (a bare reference init, a fitted field). */
    public record Loaded(Decoder decoder, MetaConfig config, Params params, State state, Map<String, String> metadata) {}

    private Checkpoint() {}

    /** Writes params of decoder, with optional config, training state and extra metadata. */
    public static void save(Path file, Decoder decoder, MetaConfig config, Params params, State state,
            Map<String, String> extra) throws IOException {
        List<ParamSpec> names = decoder.params();
        Map<String, Safetensors.Entry> tensors = paramEntries(names, params);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("decoder", decoder.tag());
        meta.put("spec", JSON.writeValueAsString(decoder.specMap()));
        if (config != null) {
            meta.put("config", config.toJson());
        }
        putState(tensors, meta, names, state);
        meta.put("provenance", JSON.writeValueAsString(provenance()));
        if (extra != null) {
            meta.putAll(extra);
        }
        Safetensors.write(file, tensors, meta);
    }

    static Map<String, String> provenance() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("gradncp", BuildVersion.get());
        p.put("java", System.getProperty("java.version"));
        p.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        p.put("created", Instant.now().toString());
        return p;
    }

    /**
     * Loads a gradncp checkpoint of any decoder; bare names the decoder of a parameter file without
     * gradncp metadata (such as the reference's init) and is ignored for a gradncp checkpoint.
     */
    @SuppressWarnings("unchecked")
    public static Loaded load(Path file, Decoder bare, DType dtype) throws IOException {
        Safetensors.Contents c = Safetensors.read(file);
        Map<String, String> meta = c.metadata();
        String format = meta.get("format");
        Decoder decoder = bare;
        MetaConfig config = meta.containsKey("config") ? MetaConfig.fromJson(meta.get("config")) : null;
        if (LEGACY_NERV.equals(format) && config != null) {
            decoder = Decoders.of(config, 3, config.channels()); // a video network over (t, h, w)
        } else if (format != null) {
            if (!format.equals(FORMAT)) {
                throw new IllegalArgumentException(file + ": checkpoint format " + format + " is not " + FORMAT
                        + " (this build); re-export it with a matching gradncp version");
            }
            decoder = Decoders.fromSpec(meta.getOrDefault("decoder", "siren"), JSON.readValue(meta.get("spec"),
                    Map.class));
        } else if (decoder == null) {
            throw new IllegalArgumentException(file + ": not a gradncp checkpoint (no '" + FORMAT
                    + "' metadata); pass the network's shape to load a bare parameter file");
        }
        List<ParamSpec> names = decoder.params();
        List<Tensor> ts = new ArrayList<>();
        for (ParamSpec p : names) {
            Safetensors.Entry e = c.tensors().get(p.name());
            if (e == null) {
                throw new IllegalArgumentException(file + ": missing tensor '" + p.name() + "' for " + decoder
                        + "; found " + c.tensors().keySet());
            }
            if (!java.util.Arrays.equals(e.shape(), p.shape())) {
                throw new IllegalArgumentException(file + ": tensor '" + p.name() + "' has shape "
                        + java.util.Arrays.toString(e.shape()) + ", expected " + java.util.Arrays.toString(p.shape()));
            }
            ts.add(Tensor.of(dtype, e.data(), p.shape()));
        }
        return new Loaded(decoder, config, new Params(ts), readState(file, c, names), meta);
    }

    /** The parameters as float32 safetensors entries, in order, under their names. */
    public static Map<String, Safetensors.Entry> paramEntries(List<ParamSpec> names, Params params) {
        Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            Tensor t = params.get(i);
            tensors.put(names.get(i).name(), new Safetensors.Entry("F32", t.shape().dims(), t.toDoubleArray()));
        }
        return tensors;
    }

    /**
     * Adds the training state (nothing when null): step, Adam step and sampler position as metadata,
     * the Adam moments (when present) as float64 tensors {@code adam.m.NAME}, {@code adam.v.NAME}.
     */
    public static void putState(Map<String, Safetensors.Entry> tensors, Map<String, String> meta,
            List<ParamSpec> names, State state) {
        if (state == null) {
            return;
        }
        meta.put("step", Long.toString(state.step()));
        meta.put("adam_step", Long.toString(state.adamStep()));
        meta.put("sampler_position", Long.toString(state.samplerPosition()));
        for (int i = 0; i < names.size() && state.adamM() != null; i++) {
            int[] shape = names.get(i).shape();
            tensors.put("adam.m." + names.get(i).name(), new Safetensors.Entry("F64", shape, state.adamM()[i]));
            tensors.put("adam.v." + names.get(i).name(), new Safetensors.Entry("F64", shape, state.adamV()[i]));
        }
    }

    /**
     * The training state written by {@link #putState}: null without a step; Adam moments null when
     * the file has none, an error when it has only some of them.
     */
    public static State readState(Path file, Safetensors.Contents c, List<ParamSpec> names) {
        Map<String, String> meta = c.metadata();
        if (!meta.containsKey("step")) {
            return null;
        }
        double[][] m = null;
        double[][] v = null;
        if (c.tensors().containsKey("adam.m." + names.get(0).name())) {
            m = new double[names.size()][];
            v = new double[names.size()][];
            for (int i = 0; i < names.size(); i++) {
                Safetensors.Entry em = c.tensors().get("adam.m." + names.get(i).name());
                Safetensors.Entry ev = c.tensors().get("adam.v." + names.get(i).name());
                if (em == null || ev == null) {
                    throw new IllegalArgumentException(file + ": training state without Adam moments for '"
                            + names.get(i).name() + "'; use --no-resume");
                }
                m[i] = em.data();
                v[i] = ev.data();
            }
        }
        return new State(Long.parseLong(meta.get("step")), Long.parseLong(meta.getOrDefault("adam_step", "0")),
                m, v, Long.parseLong(meta.getOrDefault("sampler_position", "0")));
    }
}
