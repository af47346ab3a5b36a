package gradncp.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.data.Grid;
import gradncp.nn.Batch;
import gradncp.nn.Params;
import gradncp.nn.Siren;
import gradncp.nn.SirenSpec;
import gradncp.tensor.DType;
import gradncp.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Template, Spearman, and the per-point gradient norm against the batched context gradient. */
class ReportPartsTest {
    @Test
    void templateFillsSectionsAndEscapes() {
        String out = Template.render("<h1>{{t}}</h1>{{#rows}}<td>{{x}}/{{t}}</td>{{/rows}}",
                Map.of("t", "a<b", "rows", List.of(Map.of("x", 1), Map.of("x", "&"))));
        assertEquals("<h1>a&lt;b</h1><td>1/a&lt;b</td><td>&amp;/a&lt;b</td>", out);
    }

    @Test
    void templateRejectsMissingValues() {
        var e = assertThrows(IllegalArgumentException.class, () -> Template.render("{{nope}}", Map.of()));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void spearmanUsesAverageRanks() {
        assertEquals(1.0, Stats.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 35, 90}), 1e-12);
        assertEquals(-1.0, Stats.spearman(new double[] {1, 2, 3}, new double[] {3, 2, 1}), 1e-12);
        assertArrayEquals(new double[] {1.5, 1.5, 3}, Stats.ranks(new double[] {5, 5, 7}));
    }

    @Test
    void pointGradientNormMatchesOnePointContext() {
        SirenSpec spec = new SirenSpec(2, 8, 3, 3, 30);
        Params theta = Siren.init(spec, 1, DType.F64);
        double[] y = new SplittableRandom(2).doubles(16 * 3).toArray();
        float[] target = new float[y.length];
        for (int i = 0; i < y.length; i++) {
            target[i] = (float) y[i];
        }
        Batch batch = new Batch(Grid.image(4, 4, DType.F64), Tensor.of(DType.F64, y, 1, 16, 3));
        int[] points = {0, 5, 11};
        double[] perPoint = Trajectory.pointGradNorms(spec, theta, batch, points);
        for (int j = 0; j < points.length; j++) {
            // the context loss is a mean over the point's 3 channels: its gradient is 1/3 of the summed one
            double[] ctx = Trajectory.gradNorms(spec, theta.perSignal(1), batch, new int[][] {{points[j]}});
            assertEquals(perPoint[j] / 3, ctx[0], 1e-5 * ctx[0]);
        }
    }
}
