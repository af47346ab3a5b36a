package gradncp.config;

import com.fasterxml.jackson.databind.JsonNode;
import gradncp.config.MetaConfig.Method;
import gradncp.config.MetaConfig.Modality;
import gradncp.config.MetaConfig.Order;
import gradncp.config.MetaConfig.Selection;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Key spelling and string-to-value parsing for {@link MetaConfig}: the reference's snake_case
 * aliases, did-you-mean suggestions, and error messages naming the key, the value and where it
 * came from. Kept apart so that {@link MetaConfig} reads as the list of options.
 */
final class MetaConfigKeys {
    /** Reference names (GradNCP common/args.py and configs/main/*.yaml) that differ from ours. */
    static final Map<String, String> ALIASES = orderedMap(
            "inner_lr", "innerLr", "data_ratio", "contextRatio", "inner_steps_boot", "bootSteps",
            "inner_lr_boot", "bootLr", "lam", "bootWeight", "batch_size", "metaBatch",
            "outer_steps", "outerSteps", "inner_steps_test", "testSteps", "dim_hidden", "width",
            "num_layers", "depth", "inner_steps", "innerSteps", "lr", "outerLr",
            "eval_step", "evalEvery", "save_step", "saveEvery", "max_test_task", "testSignals",
            "num_secs", "seconds", "timesteps", "frames", "n_way", "ways", "n_shot", "shots",
            "n_query", "queries");

    private MetaConfigKeys() {}

    static Map<String, String> orderedMap(String... kv) {
        var m = new LinkedHashMap<String, String>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The camelCase key for {@code key} (alias, snake_case or kebab-case), or a helpful error. */
    static String canonical(String key, String source) {
        if (MetaConfig.DEFAULTS.containsKey(key)) return key;
        String snake = key.replace('-', '_');
        if (ALIASES.containsKey(snake)) return ALIASES.get(snake);
        String camel = Arrays.stream(snake.split("_")).filter(s -> !s.isEmpty())
                .map(s -> s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1))
                .collect(Collectors.joining());
        camel = camel.isEmpty() ? camel : camel.substring(0, 1).toLowerCase(Locale.ROOT) + camel.substring(1);
        if (MetaConfig.DEFAULTS.containsKey(camel)) return camel;
        String hint = suggest(key);
        throw new IllegalArgumentException("unknown config key '" + key + "' in " + source
                + (hint == null ? "" : "; did you mean '" + hint + "'?")
                + "; known keys: " + String.join(", ", MetaConfig.DEFAULTS.keySet()));
    }

    /** Copies the scalar fields of a YAML/JSON mapping into {@code values}. */
    static void merge(JsonNode root, String source, Map<String, String> values,
            Map<String, String> sources) {
        if (root == null || root.isNull() || root.isMissingNode()) return; // an empty file
        if (!root.isObject()) {
            throw new IllegalArgumentException(source + " must be a mapping of key: value, got "
                    + root.getNodeType());
        }
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            String key = canonical(field.getKey(), source);
            JsonNode v = field.getValue();
            if (v.isContainerNode()) {
                throw new IllegalArgumentException("config key '" + field.getKey() + "' in " + source
                        + " must be a single value, got " + v);
            }
            if (sources.containsKey(key)) {
                throw new IllegalArgumentException("config key '" + key + "' is set twice in " + source
                        + " (as '" + field.getKey() + "' and an alias); keep one");
            }
            values.put(key, v.isNull() ? null : v.asText());
            sources.put(key, source);
        }
    }

    /** Parses every value and calls the validating constructor; errors name the source. */
    static MetaConfig build(Map<String, String> v, Map<String, String> sources) {
        var p = new Parser(v, sources);
        try {
            return new MetaConfig(p.enumValue("method", Method.class),
                    p.enumValue("order", Order.class), p.enumValue("selection", Selection.class),
                    p.bool("bootstrap"), p.integer("depth"), p.integer("width"), p.real("w0"),
                    p.integer("innerSteps"), p.real("innerLr"), p.real("contextRatio"),
                    p.integer("bootSteps"), p.real("bootLr"), p.real("bootWeight"),
                    p.real("outerLr"), p.real("clip"), p.integer("metaBatch"),
                    p.integer("outerSteps"), p.integer("testSteps"), p.integer("evalEvery"),
                    p.integer("testSignals"), p.integer("saveEvery"), p.longValue("seed"),
                    p.integer("resolution"), p.integer("channels"), v.get("data"),
                    v.get("testData"), p.enumValue("modality", Modality.class),
                    p.real("seconds"), p.integer("sampleRate"),
                    p.enumValue("shortClip", MetaConfig.ShortClip.class), p.integer("frames"),
                    p.enumValue("nanPolicy", MetaConfig.NanPolicy.class),
                    v.get("decoder").toLowerCase(Locale.ROOT),
                    p.enumValue("sampler", MetaConfig.Sampling.class), p.integer("raySamples"),
                    p.integer("posFreqs"), p.integer("dirFreqs"), p.bool("whiteBackground"), p.integer("views"),
                    p.integer("inputViews"), p.integer("ways"), p.integer("shots"), p.integer("queries"));
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().split(" ", 2)[0];
            if (!sources.containsKey(key) || e.getMessage().contains(" (from ")) throw e;
            throw new IllegalArgumentException(e.getMessage() + " (from " + sources.get(key) + ")", e);
        }
    }

    private record Parser(Map<String, String> v, Map<String, String> sources) {
        private IllegalArgumentException bad(String key, String expected) {
            String from = sources.containsKey(key) ? " (from " + sources.get(key) + ")" : "";
            return new IllegalArgumentException(key + " must be " + expected + ", got '"
                    + v.get(key) + "'" + from);
        }

        private String raw(String key, String expected) {
            String s = v.get(key);
            if (s == null || s.isBlank()) throw bad(key, expected);
            return s.trim();
        }

        double real(String key) {
            try {
                return Double.parseDouble(raw(key, "a number").replace("_", ""));
            } catch (NumberFormatException e) {
                throw bad(key, "a number");
            }
        }

        long longValue(String key) {
            String s = raw(key, "an integer").replace("_", "");
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                try { // accept 1e5 / 150000.0 when the value is integral
                    double d = Double.parseDouble(s);
                    if (d == Math.rint(d) && Math.abs(d) < 9e15) return (long) d;
                } catch (NumberFormatException ignored) {
                    // fall through to the error below
                }
                throw bad(key, "an integer");
            }
        }

        int integer(String key) {
            long l = longValue(key);
            if (l != (int) l) throw bad(key, "an integer in int range");
            return (int) l;
        }

        boolean bool(String key) {
            return switch (raw(key, "true or false").toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> true;
                case "false", "no", "off" -> false;
                default -> throw bad(key, "true or false");
            };
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type) {
            String allowed = Arrays.stream(type.getEnumConstants())
                    .map(c -> c.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining("|"));
            try {
                return Enum.valueOf(type, raw(key, allowed).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw bad(key, "one of " + allowed);
            }
        }
    }

    /** The closest known key or alias within a small edit distance, or null. */
    static String suggest(String key) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : MetaConfig.DEFAULTS.keySet()) {
            int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) { bestDistance = d; best = k; }
        }
        for (var e : ALIASES.entrySet()) {
            int d = distance(key.toLowerCase(Locale.ROOT), e.getKey());
            if (d < bestDistance) { bestDistance = d; best = e.getValue(); }
        }
        return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1], cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev; prev = cur; cur = t;
        }
        return prev[b.length()];
    }
}
