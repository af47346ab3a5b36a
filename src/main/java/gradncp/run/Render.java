package gradncp.run;

import gradncp.data.Grid;
import gradncp.nn.Batch;
import gradncp.nn.Decoder;
import gradncp.nn.Elements;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.nn.SirenSpec;
import gradncp.tensor.Autodiff;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.util.Arrays;

/**
 * Rendering fitted fields, clamped to [0, 1] as the metrics read them (ALGORITHM.md, Metrics):
 * every element of a batch for any decoder, and, for a coordinate network, a field at any
 * resolution or at any coordinates (resolution-free decoding), in chunks so that memory stays
 * bounded.
 */
public final class Render {
    /** Points per chunk of a resolution-free rendering. */
    private static final int CHUNK = 16384;

    private Render() {}

    /** Predictions for every element of the batch, clamped, one float[N * e] per signal (the signals' layout). */
    public static float[][] render(Decoder decoder, Params perSignal, Batch batch) {
        int signals = batch.size();
        int n = batch.points();
        int e = batch.elementSize();
        int chunk = decoder.chunk(signals, n);
        float[][] out = new float[signals][n * e];
        return Autodiff.noGrad(() -> {
            for (int lo = 0; lo < n; lo += chunk) {
                int len = Math.min(chunk, n - lo);
                try (Memory.Scope scope = Memory.scope()) {
                    float[] part = decoder.forward(perSignal.detach(), batch, Elements.range(lo, len)).toFloatArray();
                    for (int b = 0; b < signals; b++) {
                        for (int i = 0; i < len * e; i++) {
                            out[b][lo * e + i] = clamp(part[b * len * e + i]);
                        }
                    }
                }
            }
            return out;
        });
    }

    /**
     * One field (shared-shape params) of a coordinate decoder at coordinates [n * inDim] (for a
     * NeRF, rays), clamped; returns [n * channels].
     */
    public static float[] renderAt(Decoder decoder, Params field, double[] coords, int inDim, int channels) {
        int n = coords.length / inDim;
        Batch batch = new Batch(Tensor.of(field.dtype(), coords, n, inDim), Tensor.zeros(field.dtype(), 1, n, channels));
        Params one = Autodiff.noGrad(() -> field.detach().perSignal(1));
        return render(decoder, one, batch)[0];
    }

    /** Signal b of per-signal parameters, as shared-shape parameters. */
    public static Params signal(Params perSignal, int b) {
        return Autodiff.noGrad(() -> perSignal.map(t -> {
            int[] d = t.shape().dims();
            return t.slice(0, b, 1).reshape(Arrays.copyOfRange(d, 1, d.length));
        }));
    }

    /** One SIREN field (shared-shape params) on a size x size image grid, clamped, [size * size * out]. */
    public static float[] renderSquare(SirenSpec spec, Params field, int size) {
        int c = spec.outDim();
        float[] out = new float[size * size * c];
        Tensor grid = Grid.image(size, size, field.dtype()); // [S*S, 2]
        int rows = Math.max(1, CHUNK / size);
        Autodiff.noGrad(() -> {
            for (int r0 = 0; r0 < size; r0 += rows) {
                int nr = Math.min(rows, size - r0);
                try (Memory.Scope scope = Memory.scope()) {
                    float[] v = Siren.forward(spec, field.detach(), grid.slice(0, r0 * size, nr * size)).toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        out[r0 * size * c + i] = clamp(v[i]);
                    }
                }
            }
            return null;
        });
        return out;
    }

    /** One SIREN field (shared-shape params) at coords [n * inDim], clamped; returns [n * outDim]. */
    public static float[] renderAt(SirenSpec spec, Params field, double[] coords) {
        int in = spec.inDim();
        int c = spec.outDim();
        int n = coords.length / in;
        float[] out = new float[n * c];
        Autodiff.noGrad(() -> {
            for (int p0 = 0; p0 < n; p0 += CHUNK) {
                int np = Math.min(CHUNK, n - p0);
                try (Memory.Scope scope = Memory.scope()) {
                    Tensor x = Tensor.of(field.dtype(), Arrays.copyOfRange(coords, p0 * in, (p0 + np) * in), np, in);
                    float[] v = Siren.forward(spec, field.detach(), x).toFloatArray();
                    for (int i = 0; i < v.length; i++) {
                        out[p0 * c + i] = clamp(v[i]);
                    }
                }
            }
            return null;
        });
        return out;
    }

    private static float clamp(float v) {
        return Math.min(1f, Math.max(0f, v));
    }
}
