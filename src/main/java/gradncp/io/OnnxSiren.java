package gradncp.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import gradncp.io.proto.Onnx.GraphProto;
import gradncp.io.proto.Onnx.ModelProto;
import gradncp.io.proto.Onnx.NodeProto;
import gradncp.io.proto.Onnx.OperatorSetIdProto;
import gradncp.io.proto.Onnx.StringStringEntryProto;
import gradncp.io.proto.Onnx.TensorProto;
import gradncp.io.proto.Onnx.TensorShapeProto;
import gradncp.io.proto.Onnx.TypeProto;
import gradncp.io.proto.Onnx.ValueInfoProto;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.nn.SirenSpec;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A SIREN field (or init) as a standard ONNX model (ALGORITHM.md, SIREN): input {@code coords}
 * [N, inDim] float32 for any number of points N (so any resolution); output {@code values}
 * [N, outDim] float32, the network's prediction with its output transform (+0.5), unclamped.
 * Each hidden layer is MatMul(h, W^T), Add(b), Mul(w0), Sin, in the order the engine computes
 * sin(w0 (h W^T + b)); the last layer is MatMul, Add(b), Add(0.5). Weights are stored transposed
 * ([in, out]) as float32 initializers. ONNX IR version 8, default-domain opset 17.
 */
public final class OnnxSiren {
    /** The IR version written (ONNX 1.10 and later read it). */
    public static final long IR_VERSION = 8;
    /** The default-domain operator set: MatMul 13, Add 14, Mul 14, Sin 7 are current there. */
    public static final long OPSET = 17;
    public static final String INPUT = "coords";
    public static final String OUTPUT = "values";
    private static final int FLOAT = TensorProto.DataType.FLOAT_VALUE;
    private static final ObjectMapper JSON = new ObjectMapper();

    private OnnxSiren() {}

    /** Writes the model of a SIREN with shared-shape params (no batch axis) to file. */
    public static void write(Path file, SirenSpec spec, Params params, Map<String, String> metadata)
            throws IOException {
        ModelProto m = model(spec, params, metadata);
        try (OutputStream out = Files.newOutputStream(file)) {
            m.writeTo(out);
        }
    }

    /** The model of a SIREN with shared-shape params; metadata goes into the model's metadata_props. */
    public static ModelProto model(SirenSpec spec, Params params, Map<String, String> metadata) {
        if (params.size() != 2 * spec.depth()) {
            throw new IllegalArgumentException("SIREN of depth " + spec.depth() + " needs " + 2 * spec.depth()
                    + " parameter tensors, got " + params.size());
        }
        GraphProto.Builder g = GraphProto.newBuilder().setName("siren");
        g.addInitializer(scalar("w0", (float) spec.w0()));
        g.addInitializer(scalar("output_offset", (float) Siren.OUTPUT_OFFSET));
        String h = INPUT;
        for (int l = 0; l < spec.depth(); l++) {
            int in = spec.layerIn(l);
            int out = spec.layerOut(l);
            float[] w = params.get(2 * l).toFloatArray();
            float[] b = params.get(2 * l + 1).toFloatArray();
            if (w.length != in * out || b.length != out) {
                throw new IllegalArgumentException("layer " + l + " parameters do not match " + spec
                        + " (pass one field's parameters, without a batch axis)");
            }
            String p = "layers." + l;
            g.addInitializer(tensor(p + ".weight_t", transpose(w, out, in), in, out));
            g.addInitializer(tensor(p + ".bias", b, out));
            g.addNode(node("MatMul", p + ".matmul", p + ".mm", h, p + ".weight_t"));
            g.addNode(node("Add", p + ".add_bias", p + ".z", p + ".mm", p + ".bias"));
            if (l < spec.depth() - 1) {
                g.addNode(node("Mul", p + ".scale", p + ".wz", p + ".z", "w0"));
                g.addNode(node("Sin", p + ".sin", p + ".h", p + ".wz"));
                h = p + ".h";
            } else {
                g.addNode(node("Add", "output_transform", OUTPUT, p + ".z", "output_offset"));
            }
        }
        g.addInput(value(INPUT, spec.inDim(), "coordinates in [-1, 1] per axis, last axis " + spec.inDim()));
        g.addOutput(value(OUTPUT, spec.outDim(), "field values (images: RGB in [0, 1] after clamping)"));
        ModelProto.Builder m = ModelProto.newBuilder().setIrVersion(IR_VERSION).setProducerName("gradncp")
                .setProducerVersion(version()).setGraph(g)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setDocString("GradNCP SIREN neural field: values = f(coords), " + spec);
        m.addMetadataProps(entry("gradncp.decoder", spec.tag()));
        m.addMetadataProps(entry("gradncp.spec", specJson(spec)));
        if (metadata != null) {
            metadata.forEach((k, v) -> m.addMetadataProps(entry(k, v)));
        }
        return m.build();
    }

    private static String specJson(SirenSpec spec) {
        try {
            return JSON.writeValueAsString(spec.specMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String version() {
        String v = OnnxSiren.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** W [out, in] row-major as W^T [in, out] row-major. */
    static float[] transpose(float[] w, int out, int in) {
        float[] t = new float[w.length];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                t[i * out + o] = w[o * in + i];
            }
        }
        return t;
    }

    private static TensorProto scalar(String name, float v) {
        return tensor(name, new float[] {v});
    }

    private static TensorProto tensor(String name, float[] v, long... dims) {
        ByteBuffer bytes = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(v);
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .setRawData(ByteString.copyFrom(bytes.array()));
        for (long d : dims) {
            t.addDims(d);
        }
        return t.build();
    }

    private static NodeProto node(String op, String name, String output, String... inputs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addOutput(output);
        for (String i : inputs) {
            n.addInput(i);
        }
        return n.build();
    }

    /** A float tensor [N, last] with a symbolic point count N. */
    private static ValueInfoProto value(String name, int last, String doc) {
        TensorShapeProto shape = TensorShapeProto.newBuilder()
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimParam("N"))
                .addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(last)).build();
        return ValueInfoProto.newBuilder().setName(name).setDocString(doc).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(FLOAT).setShape(shape))).build();
    }

    private static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }
}
