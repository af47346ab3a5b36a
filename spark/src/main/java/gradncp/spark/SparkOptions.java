package gradncp.spark;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** The options every Spark command shares (a picocli mixin). */
public final class SparkOptions {
    @Option(names = "--master", required = true, paramLabel = "URL",
            description = "Spark master: local[N], local[*] or spark://host:port.")
    String master;

    @Option(names = "--jars", paramLabel = "JARS", description = "Comma-separated jars for remote executors (default:"
            + " this module's jar and its lib/ folder when the master is not local).")
    String jars;

    /** A session on the master; remote executors get this JVM's module flags and engine settings. */
    SparkSession open(String app) {
        SparkSession.Builder b = SparkSession.builder();
        if (!master.startsWith("local")) {
            b.config("spark.executor.extraJavaOptions", executorJavaOptions());
        }
        SparkSession.clearActiveSession();
        String j = jars != null ? jars : master.startsWith("local") ? null : Jars.ofThisModule();
        return Sessions.open(master, app, j);
    }

    /** This JVM's --add-opens/--add-modules and -D flags that executors need to run Spark and the engine. */
    static String executorJavaOptions() {
        List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
        return args.stream().filter(a -> a.startsWith("--add-") || a.startsWith("--enable-native-access")
                || a.startsWith("-Dgradncp.") || a.startsWith("-Dio.netty") || a.startsWith("-Djdk.reflect")
                || a.equals("-XX:+IgnoreUnrecognizedVMOptions")).collect(Collectors.joining(" "));
    }
}
