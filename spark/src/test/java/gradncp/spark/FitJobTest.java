package gradncp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gradncp.config.MetaConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A distributed fit on local[2] against the single-process fit of the same images. */
class FitJobTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = Sessions.open("local[2]", "fit-test", null);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void distributedFitEqualsSingleProcessFitAndRerunSkipsWrittenRows(@TempDir Path tmp) throws Exception {
        MetaConfig cfg = Fixtures.config();
        Path ckpt = Fixtures.checkpoint(cfg, tmp);
        Fixtures.pngFolder(tmp.resolve("images"), 6, 16);
        byte[] bytes = Files.readAllBytes(ckpt);
        FitSpec spec = new FitSpec(4, true, false, 2, true);
        Path out = tmp.resolve("functa");

        FitJob.Outcome first = FitJob.run(spark, FitJob.read(spark, tmp.resolve("images").toString()), bytes, spec,
                out, 2);
        assertEquals(6, first.fitted());
        List<Row> rows = FitJob.rows(spark, out).collectAsList();
        assertEquals(6, rows.size());

        FitAsserts.rowsAreSingleProcessFits(cfg, ckpt, tmp.resolve("images"), rows, 4);

        // Two more images in the same folder: a rerun fits only those two, in a second run folder;
        // a third run fits nothing.
        Fixtures.pngFolder(tmp.resolve("images"), 8, 16);
        FitJob.Outcome second = FitJob.run(spark, FitJob.read(spark, tmp.resolve("images").toString()), bytes, spec,
                out, 2);
        assertEquals(2, second.fitted());
        assertEquals(6, second.skipped());
        FitJob.Outcome third = FitJob.run(spark, FitJob.read(spark, tmp.resolve("images").toString()), bytes, spec,
                out, 2);
        assertEquals(0, third.fitted());
        assertEquals(8, third.skipped());
        assertNull(third.runDir());
        assertEquals(2, FitJob.committedRuns(out).size());
        assertEquals(8, FitJob.rows(spark, out).count());
        assertEquals(8, FitJob.rows(spark, out).select("path").distinct().count());
        FitSpec plain = new FitSpec(4, false, false, 2, true);
        assertThrows(IllegalArgumentException.class, () -> FitJob.run(spark,
                FitJob.read(spark, tmp.resolve("images").toString()), bytes, plain, out, 2));
    }
}
