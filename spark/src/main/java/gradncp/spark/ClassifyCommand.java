package gradncp.spark;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.StandardScaler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gradncp spark classify}: step 2 of functa, a classifier on fitted fields. Train and test
 * are each a distributed fit's folder (features: the fitted parameters) or Parquet input rows
 * (features: the raw pixels), so the same classifier runs on both for comparison. Pipeline:
 * standardise, optional PCA, then multinomial logistic regression or a multilayer perceptron.
 */
@Command(name = "classify", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Train an MLlib classifier on fitted fields (or raw pixels) and report test accuracy.")
public final class ClassifyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SparkOptions spark;

    @Option(names = "--train", required = true, paramLabel = "DIR",
            description = "Training rows: a distributed fit's --out, or Parquet with pixels.")
    Path train;

    @Option(names = "--test", required = true, paramLabel = "DIR", description = "Test rows, the same kind.")
    Path test;

    @Option(names = "--pca", defaultValue = "0", description = "Project on this many principal components (0: off).")
    int pca;

    @Option(names = "--mlp", paramLabel = "H1,H2", description = "Hidden layer sizes of an MLP instead of logistic"
            + " regression.")
    String mlp;

    @Option(names = "--iterations", defaultValue = "200", description = "Optimiser iterations.")
    int iterations;

    @Option(names = "--reg", defaultValue = "1e-4", description = "L2 regularisation (logistic regression).")
    double reg;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        try (SparkSession s = spark.open("gradncp-classify")) {
            Dataset<Row> tr = features(s, train).cache();
            Dataset<Row> te = features(s, test).cache();
            int dim = ((org.apache.spark.ml.linalg.Vector) tr.first().getAs("features")).size();
            int classes = (int) Math.round(tr.agg(org.apache.spark.sql.functions.max("label")).first().getDouble(0)) + 1;
            List<PipelineStage> stages = new ArrayList<>();
            stages.add(new StandardScaler().setInputCol("features").setOutputCol("scaled").setWithMean(true));
            String in = "scaled";
            int width = dim;
            if (pca > 0) {
                stages.add(new PCA().setInputCol("scaled").setOutputCol("pca").setK(pca));
                in = "pca";
                width = pca;
            }
            if (mlp != null) {
                List<Integer> layers = new ArrayList<>(List.of(width));
                Arrays.stream(mlp.split(",")).map(String::trim).map(Integer::parseInt).forEach(layers::add);
                layers.add(classes);
                stages.add(new MultilayerPerceptronClassifier().setFeaturesCol(in).setLayers(
                        layers.stream().mapToInt(Integer::intValue).toArray()).setMaxIter(iterations).setSeed(0));
            } else {
                stages.add(new LogisticRegression().setFeaturesCol(in).setMaxIter(iterations).setRegParam(reg)
                        .setFamily("multinomial"));
            }
            long t0 = System.nanoTime();
            PipelineModel model = new Pipeline().setStages(stages.toArray(PipelineStage[]::new)).fit(tr);
            double fitS = (System.nanoTime() - t0) / 1e9;
            double acc = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(model.transform(te));
            double trainAcc = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                    .evaluate(model.transform(tr));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("train_rows", tr.count());
            out.put("test_rows", te.count());
            out.put("features", dim);
            out.put("model", (mlp != null ? "mlp " + mlp : "logreg reg " + reg) + (pca > 0 ? ", pca " + pca : ""));
            out.put("train_accuracy", trainAcc);
            out.put("test_accuracy", acc);
            out.put("train_seconds", fitS);
            spec.commandLine().getOut().println(json ? new ObjectMapper().writeValueAsString(out)
                    : String.format(Locale.ROOT, "%s on %d features: test accuracy %.4f (train %.4f), %d/%d rows,"
                            + " %.1f s", out.get("model"), dim, acc, trainAcc, tr.count(), te.count(), fitS));
        }
        return 0;
    }

    /** (label, features) of a fit's folder (params) or of Parquet input rows (pixels). */
    static Dataset<Row> features(SparkSession s, Path dir) throws java.io.IOException {
        Dataset<Row> rows = FitJob.committedRuns(dir).isEmpty() ? s.read().parquet(dir.toString())
                : FitJob.rows(s, dir);
        String column = Arrays.asList(rows.columns()).contains(FitRows.PARAMS) ? FitRows.PARAMS : FitRows.PIXELS;
        if (!Files.exists(dir)) throw new IllegalArgumentException("not found: " + dir);
        return rows.filter(col(FitRows.LABEL).isNotNull()).select(col(FitRows.LABEL).cast("double").as("label"),
                org.apache.spark.ml.functions.array_to_vector(col(column)).as("features"));
    }
}
