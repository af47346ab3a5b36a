package gradncp.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every training option of a GradNCP / MAML run, with its default, in one immutable record.
 *
 * <p>Defaults live only in {@link #DEFAULTS} (the Tribuo {@code Adam} drift lesson, STYLE 3.11);
 * they are the reference's CelebA settings (ALGORITHM.md, Hyperparameters;
 * configs/main/ours_celeba.yaml). The canonical constructor validates every value. Configs come
 * from YAML plus {@code key=value} overrides ({@link #load}); keys are camelCase, and the
 * reference's snake_case names ({@code inner_lr}, {@code data_ratio}, {@code lam}, ...) and
 * kebab-case CLI spellings are accepted too (see {@link MetaConfigKeys}). {@link #toJson()} is what
 * goes into checkpoint metadata; {@link #fromJson} reads it back.
 *
 * <p>{@code method} picks the training loop (random = no meta-training, maml = Learnit,
 * gradncp = Algorithm 1); {@code selection}, {@code contextRatio} and the boot* keys are read
 * only by the loops that use them. {@code selection=full} uses every point and ignores
 * {@code contextRatio}. {@code data}/{@code testData} are paths (relative to the working
 * directory) or {@code builtin:text} / {@code builtin:digits}; {@code testData} may be null (none given).
 *
 * <p>{@code modality} (image | audio | video | sphere) picks the signal type; see
 * {@code gradncp.data.SignalSet}. Keys read by one modality only: {@code resolution} (image side,
 * video frame side), {@code channels} (image, video), {@code seconds}, {@code sampleRate},
 * {@code shortClip} (audio), {@code frames} (video), {@code nanPolicy} (sphere), {@code ways}, {@code shots},
 * {@code queries} (classification: N-way K-shot episodes with Q queries per class, decoder
 * {@code conv4}; resolution is the image side, width the conv width). {@code decoder} names the
 * network by its registered tag ({@code siren}, or {@code nerv} for video; gradncp.nn.Decoders), checked
 * when the network is built. Scenes (multi-view images, {@code decoder=nerf}): {@code raySamples},
 * {@code posFreqs}, {@code dirFreqs} (0: no view directions), {@code whiteBackground} shape the NeRF;
 * {@code views} is the views per built-in scene and {@code inputViews} how many of a test scene's
 * views the init adapts on (the rest are held out).
 *
 * @param depth number of linear layers of the SIREN (CelebA: 5 = 4 sine layers + output)
 * @param bootWeight lambda, the weight of the bootstrap distance (reference {@code lam})
 * @param contextRatio gamma, the kept fraction of points (reference {@code data_ratio})
 */
public record MetaConfig(
        Method method, Order order, Selection selection, boolean bootstrap,
        int depth, int width, double w0,
        int innerSteps, double innerLr, double contextRatio,
        int bootSteps, double bootLr, double bootWeight,
        double outerLr, double clip, int metaBatch, int outerSteps,
        int testSteps, int evalEvery, int testSignals, int saveEvery, long seed,
        int resolution, int channels, String data, String testData, Modality modality,
        double seconds, int sampleRate, ShortClip shortClip, int frames, NanPolicy nanPolicy, String decoder,
        Sampling sampler, int raySamples, int posFreqs, int dirFreqs, boolean whiteBackground, int views,
        int inputViews, int ways, int shots, int queries) {

    public enum Method { RANDOM, MAML, GRADNCP }

    /** Second order differentiates through the inner SGD steps; first order (FOMAML) does not. */
    public enum Order { FIRST, SECOND }

    /** How the inner-loop context is chosen: GradNCP score, per-point error only, random, all. */
    /**
     * Context selection of the pruned inner loop. GRADNCP is the method; the others are ablations.
     * GRADNCP_PER_CLASS (classification only, not the paper's) keeps the highest-score examples of
     * every class in proportion to its share of the support set (ALGORITHM.md, Context selection).
     */
    public enum Selection { GRADNCP, ERROR, RANDOM, FULL, GRADNCP_PER_CLASS }

    /** What a signal is: picks the coordinates, the loader, the metrics and the fit outputs. */
    public enum Modality { IMAGE, AUDIO, VIDEO, SPHERE, SCENE, CLASSIFICATION }

    /** Audio clips shorter than {@code seconds}: right-pad with the last value (reference) or fail. */
    public enum ShortClip { PAD, REJECT }

    /** Sphere grids with NaN (missing) cells: fail (default) or fill with the field's mean. */
    public enum NanPolicy { REJECT, FILL_MEAN }


    /**
     * How meta-batches are drawn: epoch = every signal once per epoch in a fresh random order;
     * iid = each batch independently, distinct signals within the batch (the reference's train loop).
     */
    public enum Sampling { IID, EPOCH }

    /** The default of every key, in declaration order. The only place defaults are written. */
    static final Map<String, String> DEFAULTS = MetaConfigKeys.orderedMap(
            "method", "gradncp", "order", "second", "selection", "gradncp", "bootstrap", "true",
            "depth", "5", "width", "256", "w0", "30",
            "innerSteps", "16", "innerLr", "0.01", "contextRatio", "0.25",
            "bootSteps", "5", "bootLr", "0.05", "bootWeight", "100",
            "outerLr", "1e-5", "clip", "1.0", "metaBatch", "8", "outerSteps", "150000",
            "testSteps", "16", "evalEvery", "1000", "testSignals", "100", "saveEvery", "5000",
            "seed", "0", "resolution", "64", "channels", "3",
            "data", "builtin:text", "testData", null, "modality", "image",
            "seconds", "1.0", "sampleRate", "16000", "shortClip", "pad", "frames", "16",
            "nanPolicy", "reject", "decoder", "siren", "sampler", "epoch",
            "raySamples", "32", "posFreqs", "6", "dirFreqs", "0", "whiteBackground", "true", "views", "8",
            "inputViews", "1", "ways", "5", "shots", "5", "queries", "15");

    public MetaConfig {
        require(method != null && order != null && selection != null && modality != null,
                "method, order, selection and modality must not be null");
        require(depth >= 2, "depth must be >= 2 (at least one sine layer and the output layer), got "
                + depth);
        require(width >= 1, "width must be >= 1, got " + width);
        positive("w0", w0);
        require(innerSteps >= 1, "innerSteps must be >= 1, got " + innerSteps);
        positive("innerLr", innerLr);
        require(contextRatio > 0 && contextRatio <= 1,
                "contextRatio must be in (0, 1], got " + contextRatio);
        require(bootSteps >= 0, "bootSteps must be >= 0, got " + bootSteps);
        positive("bootLr", bootLr);
        require(bootWeight >= 0 && Double.isFinite(bootWeight),
                "bootWeight must be finite and >= 0, got " + bootWeight);
        positive("outerLr", outerLr);
        positive("clip", clip);
        require(metaBatch >= 1, "metaBatch must be >= 1, got " + metaBatch);
        require(outerSteps >= 0, "outerSteps must be >= 0, got " + outerSteps);
        require(testSteps >= 0, "testSteps must be >= 0, got " + testSteps);
        require(evalEvery >= 0, "evalEvery must be >= 0 (0 = never), got " + evalEvery);
        require(testSignals >= 0, "testSignals must be >= 0, got " + testSignals);
        require(saveEvery >= 0, "saveEvery must be >= 0 (0 = only the last), got " + saveEvery);
        require(resolution >= 2, "resolution must be >= 2, got " + resolution);
        require(channels == 1 || channels == 3, "channels must be 1 or 3, got " + channels);
        require(data != null && !data.isBlank(),
                "data must be a path or builtin:text, got '" + data + "'");
        if (testData != null && testData.isBlank()) testData = null;
        require(shortClip != null && nanPolicy != null && decoder != null && sampler != null,
                "shortClip, nanPolicy, decoder and sampler must not be null");
        positive("seconds", seconds);
        require(sampleRate >= 1, "sampleRate must be >= 1 Hz, got " + sampleRate);
        require(frames >= 1, "frames must be >= 1, got " + frames);
        require(raySamples >= 1, "raySamples must be >= 1, got " + raySamples);
        require(posFreqs >= 0 && posFreqs <= 20, "posFreqs must be in [0, 20], got " + posFreqs);
        require(dirFreqs >= 0 && dirFreqs <= 20, "dirFreqs must be in [0, 20] (0: no view directions), got "
                + dirFreqs);
        require(views >= 2, "views must be >= 2 (input and held-out views per scene), got " + views);
        require(inputViews >= 1 && inputViews < views, "inputViews must be in [1, views), got " + inputViews);
        require(decoder.matches("[a-z][a-z0-9_-]*"), "decoder must be a decoder's name (siren, nerv, ...), got '"
                + decoder + "'");
        require(ways >= 2, "ways must be >= 2, got " + ways);
        require(shots >= 1, "shots must be >= 1, got " + shots);
        require(queries >= 1, "queries must be >= 1, got " + queries);
    }

    /** Every default. */
    public static MetaConfig defaults() {
        return MetaConfigKeys.build(new LinkedHashMap<>(DEFAULTS), Map.of());
    }

    /**
     * Defaults, then {@code yaml} (may be null), then {@code overrides} ("key=value"), validated.
     * Unknown keys and bad values throw IllegalArgumentException naming the key, value and source.
     */
    public static MetaConfig load(Path yaml, List<String> overrides) throws IOException {
        var values = new LinkedHashMap<>(DEFAULTS);
        var sources = new LinkedHashMap<String, String>();
        if (yaml != null) {
            String text;
            try {
                text = Files.readString(yaml);
            } catch (java.nio.file.NoSuchFileException e) {
                throw new IOException("config not found: " + yaml, e);
            } catch (IOException e) {
                throw new IOException("cannot read config " + yaml + ": "
                        + (Files.isDirectory(yaml) ? "is a directory" : e.getMessage()), e);
            }
            JsonNode root;
            try {
                YAMLMapper mapper = new YAMLMapper();
                mapper.enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
                root = mapper.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IOException("cannot parse config " + yaml + ": " + e.getOriginalMessage(), e);
            }
            if (root == null || root.isNull() || root.isMissingNode() || (root.isObject() && root.isEmpty())) {
                // An empty file would silently mean every default (a 150k-step run at width 256).
                throw new IllegalArgumentException("config " + yaml + " is empty; give at least one key: value"
                        + " (configs/*.yaml are examples), or leave out --config for the defaults");
            }
            MetaConfigKeys.merge(root, yaml.toString(), values, sources);
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("override '" + o + "' must be key=value, e.g. "
                        + "innerLr=0.01");
            }
            String key = MetaConfigKeys.canonical(o.substring(0, eq).trim(), "override '" + o + "'");
            values.put(key, o.substring(eq + 1).trim());
            sources.put(key, "override '" + o + "'");
        }
        return MetaConfigKeys.build(values, sources);
    }

    /** This config with {@code key=value} overrides applied (e.g. from CLI flags). */
    public MetaConfig withOverrides(List<String> overrides) {
        var values = new LinkedHashMap<String, String>();
        toMap().forEach((k, v) -> values.put(k, v == null ? null : v.toString()));
        var sources = new LinkedHashMap<String, String>();
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("override '" + o + "' must be key=value");
            String key = MetaConfigKeys.canonical(o.substring(0, eq).trim(), "override '" + o + "'");
            values.put(key, o.substring(eq + 1).trim());
            sources.put(key, "override '" + o + "'");
        }
        return MetaConfigKeys.build(values, sources);
    }

    /** The resolved config sorted by key; enums as lower-case strings, testData may be null. */
    public Map<String, Object> toMap() {
        var m = new TreeMap<String, Object>();
        m.put("method", lower(method)); m.put("order", lower(order));
        m.put("selection", lower(selection)); m.put("bootstrap", bootstrap);
        m.put("depth", depth); m.put("width", width); m.put("w0", w0);
        m.put("innerSteps", innerSteps); m.put("innerLr", innerLr);
        m.put("contextRatio", contextRatio); m.put("bootSteps", bootSteps);
        m.put("bootLr", bootLr); m.put("bootWeight", bootWeight); m.put("outerLr", outerLr);
        m.put("clip", clip); m.put("metaBatch", metaBatch); m.put("outerSteps", outerSteps);
        m.put("testSteps", testSteps); m.put("evalEvery", evalEvery);
        m.put("testSignals", testSignals); m.put("saveEvery", saveEvery); m.put("seed", seed);
        m.put("resolution", resolution); m.put("channels", channels); m.put("data", data);
        m.put("testData", testData); m.put("modality", lower(modality));
        m.put("seconds", seconds); m.put("sampleRate", sampleRate); m.put("shortClip", lower(shortClip));
        m.put("frames", frames); m.put("nanPolicy", lower(nanPolicy)); m.put("decoder", decoder);
        m.put("sampler", lower(sampler));
        m.put("raySamples", raySamples); m.put("posFreqs", posFreqs); m.put("dirFreqs", dirFreqs);
        m.put("whiteBackground", whiteBackground); m.put("views", views); m.put("inputViews", inputViews);
        m.put("ways", ways); m.put("shots", shots); m.put("queries", queries);
        assert m.keySet().equals(DEFAULTS.keySet()) : "toMap and DEFAULTS disagree";
        return m;
    }

    /** One "key = value" line per key, sorted: the echo printed at the start of a run. */
    public List<String> describe() {
        var lines = new ArrayList<String>();
        toMap().forEach((k, v) -> lines.add(k + " = " + v));
        return lines;
    }

    /** {@link #toMap()} as compact JSON (for checkpoint metadata). */
    public String toJson() {
        try {
            return new ObjectMapper().writeValueAsString(toMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise config", e);
        }
    }

    /** Reads {@link #toJson()} output back; unknown keys fail as in {@link #load}. */
    public static MetaConfig fromJson(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("config JSON is not valid: " + e.getOriginalMessage(), e);
        }
        var values = new LinkedHashMap<>(DEFAULTS);
        var sources = new LinkedHashMap<String, String>();
        MetaConfigKeys.merge(root, "config JSON", values, sources);
        return MetaConfigKeys.build(values, sources);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static void positive(String key, double v) {
        require(v > 0 && Double.isFinite(v), key + " must be finite and > 0, got " + v);
    }

    private static void require(boolean ok, String message) {
        if (!ok) throw new IllegalArgumentException(message);
    }
}
