package gradncp.spark;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gradncp fit --master ...}: a distributed fit into a functa dataset (see {@link FitJob}). */
@Command(name = "fit", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Fit every image of a folder or Parquet input on Spark from a learned init, into Parquet rows"
                + " (path, label, fitted parameters or their delta, PSNR, SSIM, steps, time) under OUT/run-*/;"
                + " a rerun fits only the paths not yet written.")
public final class SparkFitCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SparkOptions spark;
    @Mixin FitTaskOptions task;

    @Option(names = "--input", required = true, paramLabel = "DIR_OR_PARQUET",
            description = "A folder of PNG/JPEG images (class = sub-folder name) or Parquet (path, label, content or"
                    + " pixels).")
    String input;

    @Option(names = "--rescale", description = "Use GradNCP's rescaled test-time steps.")
    boolean rescale;

    @Option(names = "--delta", description = "Store the fitted parameters minus the init.")
    boolean delta;

    @Option(names = "--npz", paramLabel = "FILE.npz", description = "Also export every fitted row as NumPy arrays.")
    Path npz;

    @Option(names = "--out", defaultValue = "runs/functa", paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        try (SparkSession s = spark.open("gradncp-fit")) {
            FitJob.Outcome o = FitJob.run(s, FitJob.read(s, input), task.checkpointBytes(),
                    task.spec(rescale, delta, true), out, task.partitions(s));
            if (o.runDir() == null) {
                w.printf(Locale.ROOT, "nothing to fit: all %d signals are already under %s%n", o.skipped(), out);
            } else {
                Row m = s.read().parquet(o.runDir().toString()).selectExpr("avg(psnr)", "avg(ssim)", "avg(ms)").first();
                w.printf(Locale.ROOT, "fitted %d signals (%d already there) in %.1f s (%.2f signals/s), %d %s steps:"
                        + " psnr %.3f dB, ssim %.4f, %.1f ms/signal in tasks -> %s%n", o.fitted(), o.skipped(),
                        o.seconds(), o.fitted() / o.seconds(), task.steps, rescale ? "rescaled" : "plain", m.getDouble(0),
                        m.getDouble(1), m.getDouble(2), o.runDir());
            }
            if (npz != null) {
                long n = Export.npz(s, out, npz);
                w.printf(Locale.ROOT, "wrote %s (%d rows)%n", npz, n);
            }
        }
        return 0;
    }
}
