package gradncp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A distributed fit on a real standalone cluster (a Master and two Workers on 127.0.0.1, separate
 * JVMs whose executors are separate JVMs again) against the single-process fit of the same images.
 * The rows cross process boundaries twice (task closures and the checkpoint to the executors,
 * Parquet rows back), which local[N] never does.
 */
class ClusterFitTest {
    @Test
    void fitOnStandaloneClusterEqualsSingleProcessFit(@TempDir Path tmp) throws Exception {
        int port = LoopbackCluster.freePort();
        Assumptions.assumeTrue(port > 0, "skipped: cannot bind a port on 127.0.0.1 for a Spark master");
        List<String> jvm = Files.readAllLines(Path.of("jvm.options")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        MetaConfig cfg = Fixtures.config();
        Path ckpt = Fixtures.checkpoint(cfg, tmp);
        Fixtures.pngFolder(tmp.resolve("images"), 4, 16);
        Path out = tmp.resolve("functa");

        // The driver is this JVM; a SparkConf reads spark.* system properties.
        Map<String, String> conf = Map.of("spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1",
                "spark.executor.extraJavaOptions", String.join(" ", jvm),
                "spark.executor.extraClassPath", LoopbackCluster.executorClassPath(),
                "spark.executor.memory", "1g", "spark.cores.max", "2");
        LoopbackCluster cluster = LoopbackCluster.start(Files.createDirectories(tmp.resolve("cluster")), port, 2, jvm);
        SparkSession spark = null;
        try {
            conf.forEach(System::setProperty);
            SparkSession.clearActiveSession();
            spark = Sessions.open(cluster.url(), "cluster-fit-test", null);
            awaitExecutors(spark, 2, 60);
            FitJob.Outcome o = FitJob.run(spark, FitJob.read(spark, tmp.resolve("images").toString()),
                    Files.readAllBytes(ckpt), new FitSpec(4, true, false, 2, true), out, 2);
            assertEquals(4, o.fitted());
            List<Row> rows = FitJob.rows(spark, out).collectAsList();
            FitAsserts.rowsAreSingleProcessFits(cfg, ckpt, tmp.resolve("images"), rows, 4);
        } finally {
            conf.keySet().forEach(System::clearProperty);
            if (spark != null) {
                spark.stop();
            }
            cluster.close();
        }
        assertEquals(List.of(), cluster.aliveAfterClose(), "cluster processes left running");
    }

    /** Waits until {@code n} executors (besides the driver) have registered with the application. */
    private static void awaitExecutors(SparkSession spark, int n, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (spark.sparkContext().statusTracker().getExecutorInfos().length < n + 1) {
            assertTrue(System.nanoTime() < deadline, n + " executors did not register in " + seconds + " s");
            Thread.sleep(250);
        }
    }
}
