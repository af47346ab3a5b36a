package gradncp.spark;

import gradncp.cli.TrainCommand;
import gradncp.config.MetaConfig;
import gradncp.data.SignalSet;
import gradncp.run.Trainer;
import java.io.PrintWriter;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gradncp train --master ...}: the core's train command (same options, checkpoints and
 * metrics) with data-parallel meta-gradients ({@link DataParallel}).
 */
@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Meta-train with the meta-batch split over Spark tasks (data-parallel); the driver clips,"
                + " applies Adam and checkpoints as the single-process train does.")
public final class SparkTrainCommand extends TrainCommand {
    @Mixin SparkOptions sparkOptions;

    @Option(names = "--workers", defaultValue = "0", description = "Tasks per outer step (0: the cluster's cores).")
    int workers;

    private SparkSession session;
    private DataParallel source;

    @Override
    public Integer call() throws Exception {
        try {
            return super.call();
        } finally {
            if (source != null && !source.timings().isEmpty()) {
                PrintWriter w = spec.commandLine().getOut();
                var t = source.timings();
                double over = t.stream().skip(t.size() > 1 ? 1 : 0).mapToDouble(DataParallel.Timing::overheadMs)
                        .average().orElse(Double.NaN);
                double wall = t.stream().skip(t.size() > 1 ? 1 : 0).mapToDouble(DataParallel.Timing::wallMs)
                        .average().orElse(Double.NaN);
                w.printf(Locale.ROOT, "spark: %d steps, %.0f ms per step, of which %.0f ms outside the tasks' compute"
                        + " (job launch, shipping, aggregation; first step excluded)%n", t.size(), wall, over);
                w.flush();
            }
            if (session != null) {
                session.stop();
            }
        }
    }

    @Override
    protected Trainer.GradientSource gradientSource(MetaConfig cfg, SignalSet train) {
        session = sparkOptions.open("gradncp-train");
        int n = workers > 0 ? workers : session.sparkContext().defaultParallelism();
        source = new DataParallel(session, cfg, train, n);
        return source;
    }
}
