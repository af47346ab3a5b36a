package gradncp.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code bench memory --json} row, the same for every table (SIREN grids, NeRF, classifier):
 * the method, the table's own setting keys in order, then context_ratio, peak_engine_bytes (null
 * when the step does not fit the budget) and fits.
 */
final class MemoryRowJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MemoryRowJson() {}

    /** setting: the table's keys and values in turn (key1, value1, key2, value2, ...), kept in that order. */
    static String of(String method, double contextRatio, boolean fits, long peakBytes, Object... setting)
            throws JsonProcessingException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        for (int i = 0; i + 1 < setting.length; i += 2) {
            m.put((String) setting[i], setting[i + 1]);
        }
        m.put("context_ratio", contextRatio);
        m.put("peak_engine_bytes", fits ? peakBytes : null);
        m.put("fits", fits);
        return JSON.writeValueAsString(m);
    }
}
