package gradncp.meta;

import gradncp.config.MetaConfig;
import gradncp.data.Grid;
import gradncp.data.Npy;
import gradncp.io.Safetensors;
import gradncp.nn.Batch;
import gradncp.nn.ParamSpec;
import gradncp.nn.Params;
import gradncp.nn.SirenSpec;
import gradncp.optim.Adam;
import gradncp.run.Checkpoint;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Outer steps from a fixture directory written by scripts/ref_horizon.py (init.safetensors,
 * data.npy [S, R, R, C], batches.txt with one meta-batch of signal indices per line), so that
 * this side and the PyTorch reference see the same init and the same batches without a sampler.
 * Used by {@link LongGoldenTest}; {@link #main} is the experiment harness of RESULTS.md
 * ("Long-horizon agreement with the reference"), printing the log format the script compares.
 */
public final class HorizonRun {
    /** Per-step stats and the final parameters. */
    public record Result(List<MetaStep.Stats> steps, Params theta) {}

    private HorizonRun() {}

    /** The meta-batches of batches.txt ('#' lines are comments). */
    public static int[][] batches(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .map(l -> Arrays.stream(l.split("\\s+")).mapToInt(Integer::parseInt).toArray())
                .toArray(int[][]::new);
    }

    /** Runs {@code steps} outer steps of cfg from dir's init over its first batches. */
    public static Result run(Path dir, SirenSpec spec, MetaConfig cfg, DType dtype, int steps, PrintStream log)
            throws IOException {
        Params theta = Checkpoint.load(dir.resolve("init.safetensors"), spec, dtype).params();
        Npy.Array data = Npy.read(dir.resolve("data.npy"));
        int[][] batches = batches(dir.resolve("batches.txt"));
        if (batches.length < steps) {
            throw new IllegalArgumentException("batches.txt has " + batches.length + " batches, need " + steps);
        }
        int r = data.shape()[1];
        int c = data.shape()[3];
        int n = r * r * c;
        Adam adam = new Adam(cfg.outerLr(), theta);
        Params[] holder = {theta};
        List<MetaStep.Stats> out = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            int[] idx = batches[t];
            double[] y = new double[idx.length * n];
            for (int j = 0; j < idx.length; j++) {
                for (int i = 0; i < n; i++) {
                    y[j * n + i] = data.data()[idx[j] * n + i];
                }
            }
            Batch b = new Batch(Grid.image(r, r, dtype), Tensor.of(dtype, y, idx.length, r * r, c));
            MetaStep.Stats s = MetaStep.run(spec, holder, adam, b, cfg, new SplittableRandom(t),
                    MetaStep.Mode.KEPT_GRAPH);
            out.add(s);
            if (log != null) {
                log.printf(Locale.ROOT, "step %d loss %.17e mse_out %.17e dist %.17e inner_last %.17e"
                        + " grad_norm %.17e theta_norm %.17e%n", t, s.loss(), s.mseOut(), s.distance(),
                        s.innerLast(), s.gradNorm(), norm(holder[0]));
                log.flush();
            }
        }
        return new Result(out, holder[0]);
    }

    /** Global L2 norm of all parameters. */
    public static double norm(Params p) {
        double s = 0;
        for (Tensor t : p.tensors()) {
            for (double v : t.toDoubleArray()) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    /**
     * {@code HorizonRun DIR DTYPE STEPS SAVE [key=value ...]}: prints one line per step; SAVE (or
     * "-") gets the final parameters as F64 safetensors. Keys are config overrides (method,
     * depth, width, metaBatch must match the fixture; the defaults are the CelebA settings).
     */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        DType dtype = DType.valueOf(args[1].toUpperCase(Locale.ROOT).replace("FLOAT", "F"));
        int steps = Integer.parseInt(args[2]);
        MetaConfig cfg = MetaConfig.defaults().withOverrides(List.of(args).subList(4, args.length));
        Npy.Array data = Npy.read(dir.resolve("data.npy"));
        SirenSpec spec = new SirenSpec(2, cfg.width(), cfg.depth(), data.shape()[3], cfg.w0());
        System.out.println("# java method=" + cfg.method().name().toLowerCase(Locale.ROOT) + " dtype=" + dtype
                + " steps=" + steps + " spec=" + spec);
        Result res = run(dir, spec, cfg, dtype, steps, System.out);
        if (!args[3].equals("-")) {
            List<ParamSpec> names = spec.params();
            Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                Tensor t = res.theta().get(i);
                tensors.put(names.get(i).name(), new Safetensors.Entry("F64", t.shape().dims(), t.toDoubleArray()));
            }
            Safetensors.write(Path.of(args[3]), tensors, Map.of());
        }
    }
}
