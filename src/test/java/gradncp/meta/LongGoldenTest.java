package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig;
import gradncp.io.Safetensors;
import gradncp.nn.ParamSpec;
import gradncp.nn.SirenSpec;
import gradncp.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Long-horizon golden run: 60 outer steps of gradncp with the bootstrap target, in float64, from
 * the PyTorch reference's init over a fixed list of meta-batches (no sampler on either side).
 * Every step's loss, outer MSE, bootstrap distance and pre-clip gradient norm, and the final
 * parameters, agree with the reference's (fixture and its generation command in
 * resources/golden/horizon/README.txt). The 5-step {@link GoldenTest} cannot see what only builds
 * up over many steps: Adam's moments, the clip, the selection as the init moves.
 */
class LongGoldenTest {
    static final Path DIR = Path.of("src/test/resources/golden/horizon");
    static final SirenSpec SPEC = new SirenSpec(2, 16, 4, 3, 30.0);
    static final int STEPS = 60;
    /** Measured at generation: at most 8e-16 relative per logged number, 8e-17 in the parameters (README.txt). */
    static final double RTOL = 1e-9;

    @Test
    void sixtyOuterStepsMatchTheReference() throws Exception {
        MetaConfig cfg = MetaConfig.defaults().withOverrides(List.of("method=gradncp", "depth=4", "width=16",
                "metaBatch=2", "outerLr=1e-4"));
        HorizonRun.Result ours = HorizonRun.run(DIR, SPEC, cfg, DType.F64, STEPS, null);
        List<String> ref = Files.readAllLines(DIR.resolve("reference_float64.txt")).stream()
                .filter(l -> l.startsWith("step ")).toList();
        assertEquals(STEPS, ref.size());
        for (int t = 0; t < STEPS; t++) {
            String[] f = ref.get(t).split("\\s+");
            MetaStep.Stats s = ours.steps().get(t);
            close(Double.parseDouble(f[3]), s.loss(), "loss", t);
            close(Double.parseDouble(f[5]), s.mseOut(), "mse_out", t);
            close(Double.parseDouble(f[7]), s.distance(), "dist", t);
            close(Double.parseDouble(f[11]), s.gradNorm(), "grad_norm", t);
        }
        var final64 = Safetensors.read(DIR.resolve("reference_final_float64.safetensors")).tensors();
        double diff = 0;
        double norm = 0;
        double moved = 0;
        var init = Safetensors.read(DIR.resolve("init.safetensors")).tensors();
        List<ParamSpec> names = SPEC.params();
        for (int i = 0; i < names.size(); i++) {
            double[] r = final64.get(names.get(i).name()).data();
            double[] o = ours.theta().get(i).toDoubleArray();
            double[] p0 = init.get(names.get(i).name()).data();
            for (int j = 0; j < r.length; j++) {
                diff += (r[j] - o[j]) * (r[j] - o[j]);
                norm += r[j] * r[j];
                moved += (r[j] - p0[j]) * (r[j] - p0[j]);
            }
        }
        assertTrue(Math.sqrt(moved / norm) > 1e-3, "the fixture must move the init: " + Math.sqrt(moved / norm));
        assertTrue(Math.sqrt(diff / norm) < RTOL, "final parameters rel diff " + Math.sqrt(diff / norm));
    }

    private static void close(double ref, double ours, String what, int step) {
        assertEquals(ref, ours, RTOL * Math.abs(ref), what + " at outer step " + step);
    }
}
