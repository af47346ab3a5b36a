package gradncp.spark;

import gradncp.config.MetaConfig;
import gradncp.data.ImageSet;
import gradncp.data.ImageSignals;
import gradncp.data.SignalSet;
import gradncp.meta.MetaObjective;
import gradncp.meta.MetaStep;
import gradncp.nn.Decoder;
import gradncp.nn.Decoders;
import gradncp.nn.Params;
import gradncp.run.Evaluator;
import gradncp.run.Trainer;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

/**
 * Data-parallel meta-gradients on Spark (ALGORITHM.md, Outer update): the meta-batch is split
 * into one contiguous chunk per worker; each task computes the core's {@link MetaStep#gradient}
 * of its chunk and returns it times the chunk's size (the chunk's summed gradient); the driver
 * adds them with {@code treeAggregate} and divides by the meta-batch size, which is the
 * gradient of the meta-batch's mean loss that the single-process step takes. Clipping and Adam
 * stay on the driver ({@link Trainer} with this as its {@link Trainer.GradientSource}), and so
 * do checkpoints and resume. The training images are broadcast once; the parameters travel
 * with every step's tasks. The inner loop's random context selection (selection=random) draws
 * from a per-chunk stream, so only the deterministic selections give the single-process
 * numbers exactly.
 */
public final class DataParallel implements Trainer.GradientSource {
    /** Per-step timing: the step's wall time and its slowest task's compute time, in ms. */
    public record Timing(double wallMs, double slowestTaskMs) {
        /** What the step spent outside the tasks' compute: job launch, shipping, aggregation. */
        public double overheadMs() {
            return wallMs - slowestTaskMs;
        }
    }

    private final JavaSparkContext jsc;
    private final int workers;
    private final Broadcast<Images> data;
    private final String configJson;
    private final List<Timing> timings = new ArrayList<>();

    /** The training images, as broadcast. */
    record Images(float[][] pixels, int resolution, int channels) implements Serializable {
        ImageSet set() {
            return new ImageSet(pixels, resolution, channels, java.util.Collections.nCopies(pixels.length, ""));
        }
    }

    /** A chunk's summed gradient and summed objective parts; {@code n} signals. */
    record Partial(double[][] grads, double mse, double distance, double innerLast, int n, double taskMs)
            implements Serializable {
        static Partial add(Partial a, Partial b) {
            if (a.n == 0) return b;
            if (b.n == 0) return a;
            double[][] g = new double[a.grads.length][];
            for (int i = 0; i < g.length; i++) {
                g[i] = a.grads[i].clone();
                for (int j = 0; j < g[i].length; j++) {
                    g[i][j] += b.grads[i][j];
                }
            }
            return new Partial(g, a.mse + b.mse, a.distance + b.distance, a.innerLast + b.innerLast, a.n + b.n,
                    Math.max(a.taskMs, b.taskMs));
        }
    }

    /** One task's work: a chunk of meta-batch indices, the parameters, and a seed for its random stream. */
    record Task(int[] indices, float[][] theta, int[][] shapes, long seed, MetaStep.Mode mode) implements Serializable {}

    /** Meta-gradients over {@code workers} tasks per step on the training signals {@code train} (images). */
    public DataParallel(SparkSession spark, MetaConfig cfg, SignalSet train, int workers) {
        if (!(train instanceof ImageSignals img)) {
            throw new IllegalArgumentException("data-parallel training reads images; got " + train.describe());
        }
        if (workers < 1) throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        this.jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        this.workers = workers;
        ImageSet set = img.images();
        this.data = jsc.broadcast(new Images(set.images(), set.resolution(), set.channels()));
        this.configJson = cfg.toJson();
    }

    /** The timing of every step so far. */
    public List<Timing> timings() {
        return List.copyOf(timings);
    }

    @Override
    public MetaStep.Gradient gradient(Decoder decoder, Params theta0, SignalSet train, int[] indices, MetaConfig cfg,
            SplittableRandom rng, MetaStep.Mode mode) {
        long t0 = System.nanoTime();
        float[][] theta = new float[theta0.size()][];
        int[][] shapes = new int[theta0.size()][];
        for (int i = 0; i < theta0.size(); i++) {
            theta[i] = theta0.get(i).toFloatArray();
            shapes[i] = theta0.get(i).shape().dims();
        }
        int parts = Math.min(workers, indices.length);
        List<Task> tasks = new ArrayList<>(parts);
        for (int p = 0, from = 0; p < parts; p++) {
            int to = from + (indices.length - from) / (parts - p);
            tasks.add(new Task(Arrays.copyOfRange(indices, from, to), theta, shapes, rng.nextLong(), mode));
            from = to;
        }
        Broadcast<Images> d = data;
        String json = configJson;
        Partial zero = new Partial(null, 0, 0, 0, 0, 0);
        Partial sum = jsc.parallelize(tasks, parts).map(t -> partial(t, d.value(), json))
                .treeAggregate(zero, Partial::add, Partial::add);
        int n = sum.n();
        List<double[]> grads = new ArrayList<>(sum.grads().length);
        for (double[] g : sum.grads()) {
            for (int j = 0; j < g.length; j++) {
                g[j] /= n;
            }
            grads.add(g);
        }
        timings.add(new Timing((System.nanoTime() - t0) / 1e6, sum.taskMs()));
        return new MetaStep.Gradient(grads, new MetaObjective.Outer(null, sum.mse() / n, sum.distance() / n,
                sum.innerLast() / n, null));
    }

    private static final Map<String, MetaConfig> CONFIGS = new ConcurrentHashMap<>();

    /** A task: the chunk's meta-gradient times its size, in this executor. */
    static Partial partial(Task t, Images data, String configJson) {
        long t0 = System.nanoTime();
        MetaConfig cfg = CONFIGS.computeIfAbsent(configJson, MetaConfig::fromJson);
        ImageSet set = data.set();
        Decoder decoder = Decoders.of(cfg, 2, set.channels());
        List<Tensor> ts = new ArrayList<>(t.theta().length);
        for (int i = 0; i < t.theta().length; i++) {
            ts.add(Tensor.of(t.theta()[i], t.shapes()[i]));
        }
        var batch = Evaluator.batchOf(new ImageSignals(set.subset(t.indices())), decoder, DType.F32);
        MetaStep.Gradient g = MetaStep.gradient(decoder, new Params(ts), batch, cfg, new SplittableRandom(t.seed()),
                t.mode());
        int n = t.indices().length;
        double[][] grads = new double[g.grads().size()][];
        for (int i = 0; i < grads.length; i++) {
            grads[i] = g.grads().get(i);
            for (int j = 0; j < grads[i].length; j++) {
                grads[i][j] *= n;
            }
        }
        MetaObjective.Outer o = g.outer();
        return new Partial(grads, o.mseOut() * n, o.distance() * n, o.innerLast() * n, n,
                (System.nanoTime() - t0) / 1e6);
    }
}
