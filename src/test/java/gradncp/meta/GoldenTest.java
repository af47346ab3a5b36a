package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;

import gradncp.config.MetaConfig;
import gradncp.data.Grid;
import gradncp.data.Npy;
import gradncp.nn.Batch;
import gradncp.nn.Params;
import gradncp.nn.SirenSpec;
import gradncp.optim.Adam;
import gradncp.run.Checkpoint;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cross-framework golden run: the first 5 outer-step losses of gradncp and maml agree with the
 * PyTorch reference's from the same init and data (command in resources/golden/meta/README.txt).
 */
class GoldenTest {
    static final Path DIR = Path.of("src/test/resources/golden/meta");
    static final SirenSpec SPEC = new SirenSpec(2, 32, 4, 3, 30.0);

    static double[] referenceLosses(String file) throws Exception {
        List<Double> out = new ArrayList<>();
        for (String line : Files.readAllLines(DIR.resolve(file))) {
            if (line.startsWith("step ")) {
                out.add(Double.parseDouble(line.split("\\s+")[3]));
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double[] ourLosses(String method, DType dtype) throws Exception {
        Params theta = Checkpoint.load(DIR.resolve("init.safetensors"), SPEC, dtype).params();
        Npy.Array data = Npy.read(DIR.resolve("data.npy")); // [S, 16, 16, 3]
        int s = data.shape()[0];
        int n = 16 * 16 * 3;
        MetaConfig cfg = MetaConfig.defaults().withOverrides(List.of("method=" + method, "depth=4", "width=32",
                "innerSteps=" + (method.equals("maml") ? 4 : 16), "outerLr=1e-3", "metaBatch=2"));
        Adam adam = new Adam(cfg.outerLr(), theta);
        Params[] holder = {theta};
        double[] losses = new double[5];
        for (int t = 0; t < 5; t++) {
            double[] y = new double[2 * n];
            for (int j = 0; j < 2; j++) {
                int sig = (t * 2 + j) % s;
                for (int i = 0; i < n; i++) {
                    y[j * n + i] = data.data()[sig * n + i];
                }
            }
            Batch b = new Batch(Grid.image(16, 16, dtype), Tensor.of(dtype, y, 2, 256, 3));
            losses[t] = MetaStep.run(SPEC, holder, adam, b, cfg, new SplittableRandom(t), MetaStep.Mode.KEPT_GRAPH).loss();
        }
        return losses;
    }

    @ParameterizedTest
    @CsvSource({"gradncp, F64, float64, 1e-9", "maml, F64, float64, 1e-9",
                "gradncp, F32, float32, 1e-4", "maml, F32, float32, 1e-4"})
    void firstFiveOuterLossesMatchTheReference(String method, DType dtype, String refDtype, double rtol)
            throws Exception {
        double[] ref = referenceLosses(method + "_" + refDtype + ".txt");
        double[] ours = ourLosses(method, dtype);
        for (int t = 0; t < 5; t++) {
            assertEquals(ref[t], ours[t], rtol * Math.abs(ref[t]), method + " " + dtype + " step " + t);
        }
    }
}
