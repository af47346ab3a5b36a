package gradncp.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Resident memory of this JVM from {@code /proc/self/status} (Linux): the peak ({@code VmHWM},
 * high-water mark) and the current value ({@code VmRSS}), in bytes, or -1 where unavailable.
 * The PyTorch reference reports the same two fields, so the figures compare directly.
 */
public final class ProcessStats {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

    private ProcessStats() {}

    /** Peak resident set size (VmHWM) in bytes, or -1 if unavailable. */
    public static long peakRssBytes() {
        return field("VmHWM:");
    }

    /** Current resident set size (VmRSS) in bytes, or -1 if unavailable. */
    public static long currentRssBytes() {
        return field("VmRSS:");
    }

    /**
     * Resets the peak (VmHWM) to the current RSS, so a following {@link #peakRssBytes()} measures
     * one phase only (Linux >= 4.0, writes "5" to /proc/self/clear_refs).
     *
     * @return whether the reset worked
     */
    public static boolean resetPeak() {
        try {
            Files.writeString(CLEAR_REFS, "5", StandardCharsets.US_ASCII);
            return true;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private static long field(String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(STATUS, StandardCharsets.US_ASCII);
        } catch (IOException | SecurityException e) {
            return -1;
        }
        return parse(lines, name);
    }

    /** Value of a "Name:   123 kB" line in bytes, or -1. Package-private for tests. */
    static long parse(List<String> statusLines, String name) {
        for (String line : statusLines) {
            if (line.startsWith(name)) {
                String[] parts = line.substring(name.length()).trim().split("\\s+");
                try {
                    long v = Long.parseLong(parts[0]);
                    return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? v * 1024 : v;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }
}
