package gradncp.spark;

import org.apache.spark.sql.SparkSession;

/**
 * Spark sessions for gradncp: quiet (no UI, warnings only) and sized for small jobs, on any master
 * ({@code local[N]} or {@code spark://host:port}). A standalone master runs the tasks in executor
 * JVMs that need this module's jar and its dependencies: {@code spark.jars} names them.
 */
public final class Sessions {
    private Sessions() {}

    /** A session on {@code master}; jars: comma-separated jars for remote executors, or null. */
    public static SparkSession open(String master, String appName, String jars) {
        return open(master, appName, jars, java.util.Map.of());
    }

    /** The same, with extra Spark settings (e.g. the executors' JVM options) on the one builder. */
    public static SparkSession open(String master, String appName, String jars, java.util.Map<String, String> extra) {
        SparkSession.Builder b = SparkSession.builder().master(master).appName(appName)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "4")
                // The core engine pools its buffers per thread; one engine thread per task keeps
                // N tasks on N cores (the executor's cores are the parallelism).
                .config("spark.executorEnv.GRADNCP_THREADS", "1");
        if (jars != null && !jars.isBlank()) {
            b.config("spark.jars", jars);
        }
        extra.forEach(b::config);
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }
}
