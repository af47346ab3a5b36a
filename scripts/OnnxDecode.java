import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * Decodes an exported image field (gradncp export --format onnx) at any size with ONNX Runtime
 * alone, no gradncp code: the coordinates are the training grid's (linspace(-1, 1, size) per axis,
 * row-major, (row, column)), the values are clamped to [0, 1] and written as an RGB PNG.
 *
 * <p>Run as a single-file program with ONNX Runtime on the class path:
 * {@code java -cp ~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.22.0/onnxruntime-1.22.0.jar
 * scripts/OnnxDecode.java FIELD.onnx SIZE OUT.png}
 */
public class OnnxDecode {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: OnnxDecode FIELD.onnx SIZE OUT.png");
            System.exit(2);
        }
        int size = Integer.parseInt(args[1]);
        float[] coords = new float[size * size * 2];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                coords[(i * size + j) * 2] = (float) (size == 1 ? 0 : -1.0 + 2.0 * i / (size - 1));
                coords[(i * size + j) * 2 + 1] = (float) (size == 1 ? 0 : -1.0 + 2.0 * j / (size - 1));
            }
        }
        try (OrtEnvironment env = OrtEnvironment.getEnvironment();
                OrtSession s = env.createSession(Files.readAllBytes(Path.of(args[0])), new OrtSession.SessionOptions());
                OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(coords), new long[] {size * size, 2});
                OrtSession.Result r = s.run(Map.of("coords", in))) {
            float[][] v = (float[][]) r.get(0).getValue();
            BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < size; i++) {
                for (int j = 0; j < size; j++) {
                    float[] p = v[i * size + j];
                    img.setRGB(j, i, byte8(p[0]) << 16 | byte8(p[1]) << 8 | byte8(p[2]));
                }
            }
            ImageIO.write(img, "png", new File(args[2]));
            System.out.println(args[0] + " decoded at " + size + " x " + size + " -> " + args[2]);
        }
    }

    private static int byte8(float x) {
        return (int) Math.round(Math.max(0f, Math.min(1f, x)) * 255f);
    }
}
