package gradncp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import gradncp.data.Grid;
import gradncp.data.ImageSet;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.nn.SirenSpec;
import gradncp.run.Evaluator;
import gradncp.run.Render;
import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An exported SIREN, run by ONNX Runtime, gives the engine's values: a field fitted to a 16 x 16
 * image, decoded on its training grid and on a grid 4x finer (64 x 64), to 1e-5.
 */
class OnnxSirenTest {
    static final int RES = 16;
    static final SirenSpec SPEC = new SirenSpec(2, 64, 4, 3, 30.0);
    static Params field;

    /** A field fitted for 64 steps from the SIREN init to a smooth random image (fixed seed). */
    @BeforeAll
    static void fit() {
        SplittableRandom rng = new SplittableRandom(7);
        float[] img = new float[RES * RES * 3];
        double[] phase = {rng.nextDouble(6), rng.nextDouble(6), rng.nextDouble(6)};
        for (int i = 0; i < RES; i++) {
            for (int j = 0; j < RES; j++) {
                for (int c = 0; c < 3; c++) {
                    img[(i * RES + j) * 3 + c] = (float) (0.5 + 0.4 * Math.sin(0.7 * i + 0.4 * j * (c + 1) + phase[c])
                            + 0.05 * rng.nextDouble());
                }
            }
        }
        ImageSet one = new ImageSet(new float[][] {img}, RES, 3, List.of("wave"));
        Evaluator.Fitted f = Evaluator.fit(SPEC, SPEC.init(3, DType.F32), one, new Evaluator.Protocol(64, 0.01, 1.0),
                false, true);
        field = Render.signal(f.params(), 0);
    }

    @Test
    void onnxRuntimeReproducesTheFieldOnTheTrainingGridAndFourTimesFiner() throws OrtException {
        byte[] model = OnnxSiren.model(SPEC, field, Map.of("test", "yes")).toByteArray();
        try (OrtEnvironment env = OrtEnvironment.getEnvironment();
                OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            for (int size : new int[] {RES, 4 * RES}) {
                Tensor grid = Grid.image(size, size, DType.F32);
                float[] engine = Autodiff.noGrad(() -> Siren.forward(SPEC, field.detach(), grid).toFloatArray());
                float[] onnx = run(env, session, grid.toFloatArray(), size * size);
                assertEquals(engine.length, onnx.length);
                double max = 0;
                for (int i = 0; i < engine.length; i++) {
                    max = Math.max(max, Math.abs(engine[i] - onnx[i]));
                }
                System.out.printf("ONNX Runtime vs engine, %d x %d grid: max |diff| %.3g%n", size, size, max);
                assertTrue(max <= 1e-5, size + " px: max difference " + max);
            }
        }
    }

    @Test
    void theFieldIsNotTrivial() {
        float[] v = Autodiff.noGrad(() -> Siren.forward(SPEC, field.detach(), Grid.image(RES, RES, DType.F32))
                .toFloatArray());
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float x : v) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        assertTrue(hi - lo > 0.3, "the fitted field should vary over the image: range " + lo + " .. " + hi);
    }

    @Test
    void modelDeclaresItsInputOutputAndOperators() {
        var m = OnnxSiren.model(SPEC, field, null);
        assertEquals(OnnxSiren.IR_VERSION, m.getIrVersion());
        assertEquals(OnnxSiren.INPUT, m.getGraph().getInput(0).getName());
        assertEquals(OnnxSiren.OUTPUT, m.getGraph().getOutput(0).getName());
        assertEquals(List.of("MatMul", "Add", "Mul", "Sin", "MatMul", "Add", "Mul", "Sin", "MatMul", "Add", "Mul",
                "Sin", "MatMul", "Add", "Add"), m.getGraph().getNodeList().stream().map(n -> n.getOpType()).toList());
        // weights transposed: W^T[i][o] = W[o][i]
        float[] w = field.get(0).toFloatArray();
        float[] t = OnnxSiren.transpose(w, 64, 2);
        assertEquals(w[5 * 2 + 1], t[64 + 5]);
    }

    private static float[] run(OrtEnvironment env, OrtSession s, float[] coords, int n) throws OrtException {
        try (OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(coords), new long[] {n, 2});
                OrtSession.Result r = s.run(Map.of(OnnxSiren.INPUT, in))) {
            float[][] v = (float[][]) r.get(0).getValue();
            float[] flat = new float[v.length * v[0].length];
            for (int i = 0; i < v.length; i++) {
                System.arraycopy(v[i], 0, flat, i * v[0].length, v[0].length);
            }
            return flat;
        }
    }
}
