package gradncp.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Distributed fit (the driver side): a functa dataset of fitted fields in Parquet.
 *
 * <p>Layout and idempotency: every run writes the signals that no earlier run wrote into
 * {@code OUT/run-KEY/}, where KEY hashes the checkpoint, the fit settings and the sorted paths of
 * that run, through Spark's file commit protocol: task attempts write to a temporary folder and
 * only the job's commit moves one attempt per task into place and writes {@code _SUCCESS}. So a
 * retried or speculative task (a lost executor) adds no duplicate rows, and a run that did not
 * commit leaves nothing that is read: only run folders with {@code _SUCCESS} count, and a rerun
 * fits exactly the paths that none of them holds. All runs in one folder share the fit settings
 * (steps, protocol, delta): a run with other settings is refused.
 */
public final class FitJob {
    /** What a run did: rows fitted now, rows already there, and the run's folder (null if none). */
    public record Outcome(long fitted, long skipped, Path runDir, double seconds) {}

    private FitJob() {}

    /**
     * The input rows ({@link FitRows#INPUT}) of a folder of images (through Spark's
     * {@code binaryFile} source; the label is the name of the sub-folder under {@code input}, null
     * for files directly in it) or of Parquet files with a path, an optional label and either
     * encoded images or pixels.
     */
    public static Dataset<Row> read(SparkSession spark, String input) throws IOException {
        Path p = Path.of(input);
        boolean parquet = input.endsWith(".parquet") || (Files.isDirectory(p) && hasParquet(p));
        if (parquet) {
            Dataset<Row> d = spark.read().parquet(input);
            List<String> cols = Arrays.asList(d.columns());
            if (!cols.contains(FitRows.PATH)) {
                throw new IllegalArgumentException(input + " has no '" + FitRows.PATH + "' column (columns: " + cols + ")");
            }
            return d.select(col(FitRows.PATH),
                    cols.contains(FitRows.LABEL) ? col(FitRows.LABEL).cast("string").as(FitRows.LABEL)
                            : lit(null).cast("string").as(FitRows.LABEL),
                    cols.contains(FitRows.CONTENT) ? col(FitRows.CONTENT)
                            : lit(null).cast("binary").as(FitRows.CONTENT),
                    cols.contains(FitRows.PIXELS) ? col(FitRows.PIXELS).cast("array<float>").as(FitRows.PIXELS)
                            : lit(null).cast("array<float>").as(FitRows.PIXELS));
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException("input must be a folder of images or Parquet: " + p.toAbsolutePath());
        }
        String root = p.toAbsolutePath().normalize().toString();
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                .option("pathGlobFilter", "*.{png,jpg,jpeg,PNG,JPG,JPEG}").load(root);
        String sub = "^[a-z]+:" + Pattern.quote(root) + "/([^/]+)/[^/]+$";
        return files.select(col("path"),
                functions.nullif(functions.regexp_extract(col("path"), sub, 1), lit("")).as(FitRows.LABEL),
                col("content"), lit(null).cast(DataTypes.createArrayType(DataTypes.FloatType, false))
                        .as(FitRows.PIXELS));
    }

    private static boolean hasParquet(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
        }
    }

    /** The committed run folders under {@code out}, sorted. */
    public static List<Path> committedRuns(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (var s = Files.list(out)) {
            return s.filter(d -> d.getFileName().toString().startsWith("run-"))
                    .filter(d -> Files.exists(d.resolve("_SUCCESS"))).sorted().toList();
        }
    }

    /** Every committed row under {@code out} (an empty frame of {@link FitRows#OUTPUT} when none). */
    public static Dataset<Row> rows(SparkSession spark, Path out) throws IOException {
        List<Path> runs = committedRuns(out);
        if (runs.isEmpty()) {
            return spark.createDataFrame(List.of(), FitRows.OUTPUT);
        }
        return spark.read().schema(FitRows.OUTPUT).parquet(runs.stream().map(Path::toString).toArray(String[]::new));
    }

    /** The task count for a job: the requested one, or (0) four per core of the cluster. */
    public static int partitions(SparkSession spark, int requested) {
        return requested > 0 ? requested : 4 * spark.sparkContext().defaultParallelism();
    }

    /**
     * Fits every input row whose path no committed run under {@code out} holds, in
     * {@code partitions} tasks, and commits them as one new run folder.
     */
    public static Outcome run(SparkSession spark, Dataset<Row> input, byte[] checkpoint, FitSpec spec, Path out,
            int partitions) throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(out);
        Dataset<Row> written = rows(spark, out);
        for (Row r : written.select("steps", "rescaled", "delta").distinct().collectAsList()) {
            if (r.getInt(0) != spec.steps() || r.getBoolean(1) != spec.rescale() || r.getBoolean(2) != spec.delta()) {
                throw new IllegalArgumentException(out + " holds rows fitted with steps=" + r.get(0) + ", rescale="
                        + r.get(1) + ", delta=" + r.get(2) + "; a rerun adds only missing paths with the same"
                        + " settings: use a new output folder for other settings");
            }
        }
        Dataset<Row> done = written.select(FitRows.PATH);
        Dataset<Row> todo = input.join(done, input.col(FitRows.PATH).equalTo(done.col(FitRows.PATH)), "left_anti");
        List<String> paths = new ArrayList<>(todo.select(FitRows.PATH).as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList());
        long total = input.count();
        if (paths.isEmpty()) {
            return new Outcome(0, total, null, (System.nanoTime() - t0) / 1e9);
        }
        paths.sort(null);
        String key = Checkpoints.sha256((Checkpoints.sha256(checkpoint) + "\n" + spec.describe() + "\n"
                + String.join("\n", paths)).getBytes(StandardCharsets.UTF_8)).substring(0, 16);
        Path runDir = out.resolve("run-" + key);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> ckpt = jsc.broadcast(checkpoint);
        // Hash partitioning by path and a sort inside each partition: a retried task sees the
        // same signals in the same order, so it writes the same rows.
        JavaRDD<Row> in = todo.repartition(partitions, col(FitRows.PATH)).sortWithinPartitions(FitRows.PATH)
                .javaRDD();
        FlatMapFunction<java.util.Iterator<Row>, Row> task = it -> Fitter.fit(it, spec, ckpt.value());
        spark.createDataFrame(in.mapPartitions(task), FitRows.OUTPUT).write().mode(SaveMode.Overwrite)
                .parquet(runDir.toString());
        ckpt.destroy();
        return new Outcome(paths.size(), total - paths.size(), runDir, (System.nanoTime() - t0) / 1e9);
    }

    /** Fits every input row without writing anything and returns the {@link FitRows#OUTPUT} rows (eval). */
    public static List<Row> scores(SparkSession spark, Dataset<Row> input, byte[] checkpoint, FitSpec spec,
            int partitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> ckpt = jsc.broadcast(checkpoint);
        FlatMapFunction<java.util.Iterator<Row>, Row> task = it -> Fitter.fit(it, spec, ckpt.value());
        JavaRDD<Row> fitted = input.repartition(partitions, col(FitRows.PATH)).sortWithinPartitions(FitRows.PATH)
                .javaRDD().mapPartitions(task);
        List<Row> rows = spark.createDataFrame(fitted, FitRows.OUTPUT).collectAsList();
        ckpt.destroy();
        return rows;
    }
}
