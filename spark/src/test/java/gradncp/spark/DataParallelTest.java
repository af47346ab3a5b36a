package gradncp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gradncp.config.MetaConfig;
import gradncp.data.ImageSignals;
import gradncp.data.SignalSet;
import gradncp.data.TextImages;
import gradncp.run.Trainer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data-parallel meta-training on local[2] (2 tasks per step) against single-process training with
 * the same meta-batch: the same losses over 5 outer steps, also when the run is stopped after 2
 * steps and resumed from its checkpoint.
 */
class DataParallelTest {
    static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = Sessions.open("local[2]", "train-test", null);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @Test
    void twoWorkersEqualOneProcessOverFiveStepsWithResume(@TempDir Path tmp) throws Exception {
        MetaConfig cfg = Fixtures.config();
        SignalSet train = new ImageSignals(TextImages.generate(16, 16, 0));
        PrintWriter log = new PrintWriter(new StringWriter());

        Trainer.Result single = Trainer.train(cfg, train, null, new Trainer.Options(tmp.resolve("single"), 1, false,
                false, 0), log);
        DataParallel dp = new DataParallel(spark, cfg, train, 2);
        Trainer.train(cfg, train, null, new Trainer.Options(tmp.resolve("dp"), 1, true, false, 2), log, dp);
        Trainer.Result resumed = Trainer.train(cfg, train, null, new Trainer.Options(tmp.resolve("dp"), 1, true, false,
                0), log, dp);

        assertEquals(5, resumed.steps());
        List<Double> a = losses(tmp.resolve("single"));
        List<Double> b = losses(tmp.resolve("dp"));
        assertEquals(5, a.size());
        assertEquals(a.size(), b.size());
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            worst = Math.max(worst, Math.abs(a.get(i) - b.get(i)) / Math.abs(a.get(i)));
        }
        System.out.printf("data-parallel vs single process: largest relative loss difference %.3g; step overhead"
                + " (wall - slowest task) ms %s%n", worst, dp.timings().stream()
                .map(t -> String.format("%.0f", t.overheadMs())).toList());
        for (int i = 0; i < a.size(); i++) {
            double rel = Math.abs(a.get(i) - b.get(i)) / Math.abs(a.get(i));
            assertTrue(rel <= 1e-5, "step " + (i + 1) + ": loss " + a.get(i) + " vs " + b.get(i) + " (rel " + rel + ")");
        }
        assertTrue(a.get(4) < a.get(0), "the loss went down: " + a);
        double num = 0, den = 0;
        for (int t = 0; t < single.theta().size(); t++) {
            float[] x = single.theta().get(t).toFloatArray();
            float[] y = resumed.theta().get(t).toFloatArray();
            for (int j = 0; j < x.length; j++) {
                num += (x[j] - y[j]) * (double) (x[j] - y[j]);
                den += x[j] * (double) x[j];
            }
        }
        assertTrue(Math.sqrt(num / den) <= 1e-5, "final parameters differ by " + Math.sqrt(num / den));
        assertEquals(5, dp.timings().size());
    }

    private static List<Double> losses(Path out) throws Exception {
        List<Double> l = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve(Trainer.METRICS))) {
            JsonNode n = new ObjectMapper().readTree(line);
            if (n.has("loss")) {
                l.add(n.get("loss").asDouble());
            }
        }
        return l;
    }
}
