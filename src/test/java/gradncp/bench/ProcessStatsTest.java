package gradncp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessStatsTest {
    @Test
    void readsPositiveRssOnLinux() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "not Linux");
        long cur = ProcessStats.currentRssBytes();
        long peak = ProcessStats.peakRssBytes();
        assertTrue(cur > 1 << 20, "VmRSS " + cur);
        assertTrue(peak >= cur, "VmHWM " + peak + " < VmRSS " + cur);
    }

    @Test
    void parsesKilobytesAndMissingFields() {
        List<String> lines = List.of("Name:\tjava", "VmHWM:\t  2048 kB", "VmRSS:\t  1024 kB");
        assertEquals(2048L * 1024, ProcessStats.parse(lines, "VmHWM:"));
        assertEquals(1024L * 1024, ProcessStats.parse(lines, "VmRSS:"));
        assertEquals(-1, ProcessStats.parse(lines, "VmSwap:"));
    }
}
