package gradncp.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import gradncp.run.Evaluator;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gradncp eval --master ...}: the distributed fit reduced to the eval table (both protocols). */
@Command(name = "eval", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Meta-test a checkpoint on Spark: adapt to every image (plain and rescaled) and report PSNR and"
                + " SSIM (mean and standard error) and the fit time per signal.")
public final class SparkEvalCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SparkOptions spark;
    @Mixin FitTaskOptions task;

    @Option(names = "--data", required = true, paramLabel = "DIR_OR_PARQUET",
            description = "A folder of PNG/JPEG images or Parquet (path, label, content or pixels).")
    String data;

    @Option(names = "--limit", defaultValue = "0", description = "Evaluate only the first N signals by path (0 = all).")
    int limit;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintWriter w = spec.commandLine().getOut();
        byte[] ckpt = task.checkpointBytes();
        Map<String, Object> out = new LinkedHashMap<>();
        try (SparkSession s = spark.open("gradncp-eval")) {
            int parts = task.partitions(s);
            Dataset<Row> in = FitJob.read(s, data);
            if (limit > 0) {
                in = in.orderBy(FitRows.PATH).limit(limit);
            }
            in = in.cache();
            out.put("signals", in.count());
            out.put("steps", task.steps);
            for (boolean rescale : new boolean[] {false, true}) {
                long t0 = System.nanoTime();
                List<Row> rows = FitJob.scores(s, in, ckpt, task.spec(rescale, false, false), parts);
                double wall = (System.nanoTime() - t0) / 1e9;
                Evaluator.Stat psnr = Evaluator.Stat.of(rows.stream().mapToDouble(r -> r.getAs("psnr")).toArray());
                Evaluator.Stat ssim = Evaluator.Stat.of(rows.stream().mapToDouble(r -> r.getAs("ssim")).toArray());
                double ms = rows.stream().mapToDouble(r -> r.getAs("ms")).average().orElse(Double.NaN);
                String name = rescale ? "rescaled" : "plain";
                out.put(name, Map.of("psnr", psnr.mean(), "psnr_stderr", psnr.stderr(), "ssim", ssim.mean(),
                        "ssim_stderr", ssim.stderr(), "ms_per_signal_in_task", ms, "wall_s", wall,
                        "signals_per_s", rows.size() / wall));
                if (!json) {
                    w.printf(Locale.ROOT, "%-9s psnr %.3f +- %.3f dB  ssim %.4f +- %.4f  %.1f ms/signal in tasks,"
                            + " %.2f signals/s wall%n", name, psnr.mean(), psnr.stderr(), ssim.mean(), ssim.stderr(),
                            ms, rows.size() / wall);
                }
            }
        }
        if (json) {
            w.println(new ObjectMapper().writeValueAsString(out));
        }
        return 0;
    }
}
