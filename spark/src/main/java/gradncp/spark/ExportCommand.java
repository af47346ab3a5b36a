package gradncp.spark;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gradncp spark export}: a functa folder as one {@code .npz} (see {@link Export}). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write the committed rows of a distributed fit as NumPy arrays: params [N, D] float32, labels [N]"
                + " int64, paths [N], sorted by path.")
public final class ExportCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SparkOptions spark;

    @Option(names = "--functa", required = true, paramLabel = "DIR", description = "The --out of a distributed fit.")
    Path functa;

    @Option(names = "--npz", required = true, paramLabel = "FILE.npz", description = "Output file.")
    Path npz;

    @Override
    public Integer call() throws Exception {
        try (SparkSession s = spark.open("gradncp-export")) {
            long n = Export.npz(s, functa, npz);
            spec.commandLine().getOut().printf("wrote %s (%d rows)%n", npz, n);
        }
        return 0;
    }
}
