package gradncp.spark;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
        // set on the builder Sessions.open uses: a second SparkSession.builder() would not carry it
        Map<String, String> extra = master.startsWith("local") ? Map.of()
                : Map.of("spark.executor.extraJavaOptions", executorJavaOptions());
        SparkSession.clearActiveSession();
        String j = jars != null ? jars : master.startsWith("local") ? null : Jars.ofThisModule();
        return Sessions.open(master, app, j, extra);
    }

    /** This JVM's --add-opens/--add-modules and -D flags that executors need to run Spark and the engine. */
    static String executorJavaOptions() {
        return executorJavaOptions(ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /**
     * The flags of args that executors need; a two-word flag ({@code --add-modules NAME}) keeps its
     * value, which the JVM reports as the next argument.
     */
    static String executorJavaOptions(List<String> args) {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--add-") || a.startsWith("--enable-native-access") || a.startsWith("-Dgradncp.")
                    || a.startsWith("-Dio.netty") || a.startsWith("-Djdk.reflect")
                    || a.equals("-XX:+IgnoreUnrecognizedVMOptions")) {
                kept.add(a);
                if (a.startsWith("--add-") && !a.contains("=") && i + 1 < args.size()) {
                    kept.add(args.get(++i));
                }
            }
        }
        return String.join(" ", kept);
    }
}
