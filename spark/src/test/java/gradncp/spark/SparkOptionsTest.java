package gradncp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The JVM flags handed to remote executors. */
class SparkOptionsTest {
    @Test
    void keepsTwoWordFlagsWithTheirValueAndDropsTheRest() {
        List<String> args = List.of("-Xmx4g", "--add-modules", "jdk.incubator.vector",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Dgradncp.threads=1", "-Dother=1",
                "--enable-native-access=ALL-UNNAMED");
        assertEquals("--add-modules jdk.incubator.vector --add-opens=java.base/java.nio=ALL-UNNAMED"
                + " -Dgradncp.threads=1 --enable-native-access=ALL-UNNAMED", SparkOptions.executorJavaOptions(args));
    }
}
