package gradncp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import gradncp.data.Grid;
import gradncp.io.Safetensors;
import gradncp.nn.Siren;
import gradncp.nn.SirenSpec;
import gradncp.run.Checkpoint;
import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gradncp export}: a fitted field to ONNX (run by ONNX Runtime) and an init to safetensors without state. */
class ExportCliTest {
    @Test
    void fittedFieldExportsToOnnxAndDecodesAtFourTimesItsResolution(@TempDir Path dir) throws Exception {
        assertEquals(0, TrainCliTest.run(TrainCliTest.train(dir.resolve("t"), "--set", "outerSteps=2")).code());
        Path img = dir.resolve("in.png");
        gradncp.data.Images.writePng(img, new float[16 * 16 * 3], 16, 16, 3);
        TrainCliTest.Run fit = TrainCliTest.run("fit", "--checkpoint", dir.resolve("t/last.safetensors").toString(),
                "--input", img.toString(), "--steps", "2", "--out", dir.resolve("fit").toString());
        assertEquals(0, fit.code(), fit.err());
        Path field = dir.resolve("fit/in.field.safetensors");
        Path onnx = dir.resolve("in.onnx");
        TrainCliTest.Run ex = TrainCliTest.run("export", "--checkpoint", field.toString(), "--format", "onnx",
                "--out", onnx.toString());
        assertEquals(0, ex.code(), ex.err());
        assertTrue(ex.out().contains("-> " + onnx), ex.out());

        Checkpoint.Loaded c = Checkpoint.load(field, null, DType.F32);
        SirenSpec spec = (SirenSpec) c.decoder();
        int n = 64 * 64;
        float[] coords = Grid.image(64, 64, DType.F32).toFloatArray();
        float[] engine = Autodiff.noGrad(() -> Siren.forward(spec, c.params(), Grid.image(64, 64, DType.F32))
                .toFloatArray());
        try (OrtEnvironment env = OrtEnvironment.getEnvironment();
                OrtSession s = env.createSession(Files.readAllBytes(onnx), new OrtSession.SessionOptions());
                OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(coords), new long[] {n, 2});
                OrtSession.Result r = s.run(Map.of("coords", in))) {
            float[][] v = (float[][]) r.get(0).getValue();
            assertEquals(n, v.length);
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < 3; k++) {
                    assertEquals(engine[i * 3 + k], v[i][k], 1e-5, "point " + i);
                }
            }
            assertEquals(field.toString(), s.getMetadata().getCustomMetadata().get("exported_from"));
        }
    }

    @Test
    void safetensorsExportDropsTheTrainingState(@TempDir Path dir) throws Exception {
        assertEquals(0, TrainCliTest.run(TrainCliTest.train(dir.resolve("t"), "--set", "outerSteps=2")).code());
        Path last = dir.resolve("t/last.safetensors");
        Path small = dir.resolve("init.safetensors");
        assertEquals(0, TrainCliTest.run("export", "--checkpoint", last.toString(), "--format", "safetensors",
                "--out", small.toString()).code());
        assertTrue(Files.size(small) < Files.size(last) / 2, Files.size(small) + " vs " + Files.size(last));
        assertFalse(Safetensors.read(small).tensors().keySet().stream().anyMatch(k -> k.startsWith("adam.")));
        assertEquals("2", Safetensors.read(small).metadata().get("trained_steps"));
        Checkpoint.Loaded a = Checkpoint.load(last, null, DType.F32);
        Checkpoint.Loaded b = Checkpoint.load(small, null, DType.F32);
        assertEquals(a.config(), b.config());
        assertEquals(null, b.state());
        assertEquals(a.decoder(), b.decoder());
        for (int i = 0; i < a.params().size(); i++) {
            assertEquals(java.util.Arrays.toString(a.params().get(i).toFloatArray()),
                    java.util.Arrays.toString(b.params().get(i).toFloatArray()));
        }
    }

    @Test
    void unknownBuiltinInitIsAOneLineError() {
        TrainCliTest.Run r = TrainCliTest.run("export", "--checkpoint", "builtin:nope", "--out", "x.onnx");
        assertEquals(1, r.code());
        assertTrue(r.err().contains("builtin:photos, builtin:text"), r.err());
    }
}
