package gradncp.spark;

import gradncp.run.BuiltinInits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/**
 * The options of every distributed fit (`fit --master`, `eval --master`; a picocli mixin): the init
 * the signals are adapted from, the test-time steps, and how the work is split into tasks.
 */
public final class FitTaskOptions {
    @Option(names = "--checkpoint", required = true, paramLabel = "CKPT",
            description = "A gradncp image checkpoint, or builtin:photos / builtin:text.")
    Path checkpoint;

    @Option(names = "--steps", defaultValue = "16", description = "Test-time SGD steps (K_test).")
    int steps;

    @Option(names = "--batch", defaultValue = "8", description = "Signals adapted at once inside a task.")
    int batch;

    @Option(names = "--partitions", defaultValue = "0", description = "Tasks (0: 4 per core of the cluster).")
    int partitions;

    /** The checkpoint's bytes, to broadcast to the tasks (a built-in init is read out of the jar). */
    byte[] checkpointBytes() throws IOException {
        return Files.readAllBytes(BuiltinInits.resolve(checkpoint));
    }

    /** The task count on this session: --partitions, or four per core of the cluster. */
    int partitions(SparkSession spark) {
        return FitJob.partitions(spark, partitions);
    }

    /** What every task does with a signal, at these steps and this batch. */
    FitSpec spec(boolean rescale, boolean delta, boolean keepParams) {
        return new FitSpec(steps, rescale, delta, batch, keepParams);
    }
}
