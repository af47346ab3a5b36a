package gradncp.report;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal logic-less HTML template (a Mustache subset): {@code {{key}}} inserts the value,
 * HTML-escaped; {@code {{#key}}...{{/key}}} repeats the block once per map of a list value (keys
 * inside a block are looked up in the item first, then outside). Missing keys are errors, so a
 * typo in the template fails loudly instead of rendering an empty cell. Deliberately no other
 * syntax: the page layout stays in the resource file, the numbers in the code.
 */
public final class Template {
    private static final Pattern SECTION = Pattern.compile("\\{\\{#(\\w+)}}(.*?)\\{\\{/\\1}}", Pattern.DOTALL);
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{(\\w+)}}");

    private Template() {}

    /** Renders text with values (String/Number values, or List of Map for sections). */
    public static String render(String text, Map<String, ?> values) {
        return variables(sections(text, values), values, null);
    }

    private static String sections(String text, Map<String, ?> values) {
        Matcher m = SECTION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (!(values.get(m.group(1)) instanceof List<?> items)) {
                throw new IllegalArgumentException("template section '" + m.group(1) + "' needs a list value, got "
                        + values.get(m.group(1)));
            }
            StringBuilder block = new StringBuilder();
            for (Object item : items) {
                block.append(variables(m.group(2), values, (Map<?, ?>) item));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(block.toString()));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String variables(String text, Map<String, ?> values, Map<?, ?> item) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            Object v = item != null && item.containsKey(key) ? item.get(key) : values.get(key);
            if (v == null) {
                throw new IllegalArgumentException("template placeholder '{{" + key + "}}' has no value");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(escape(v.toString())));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
