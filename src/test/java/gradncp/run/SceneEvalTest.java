package gradncp.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import gradncp.data.Scene;
import gradncp.data.SceneSignals;
import gradncp.data.ToyCars;
import gradncp.nn.NerfSpec;
import gradncp.nn.Params;
import gradncp.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The meta-test protocol on scenes: a scene is adapted on its input views only and its held-out
 * views are rendered and scored. Changing a held-out view's pixels changes nothing in the
 * predictions (they never reach the adaptation); changing the input view does.
 */
class SceneEvalTest {
    static final NerfSpec SPEC = new NerfSpec(8, 2, 6, 2, 0, true);

    private static List<Scene> withView(List<Scene> scenes, int view, float value) {
        List<Scene> out = new ArrayList<>();
        for (Scene s : scenes) {
            float[][] rgba = s.rgba().clone();
            rgba[view] = new float[rgba[view].length];
            java.util.Arrays.fill(rgba[view], value);
            out.add(new Scene(s.name(), s.height(), s.width(), s.focal(), s.near(), s.far(), s.c2w(), rgba));
        }
        return out;
    }

    @Test
    void adaptsOnInputViewsAndScoresHeldOutViews() {
        List<Scene> cars = ToyCars.generate(2, 3, 6, 3);
        Params theta = SPEC.init(1, DType.F32);
        Evaluator.Protocol p = new Evaluator.Protocol(2, 1.0, 0.25);
        for (boolean rescale : new boolean[] {false, true}) {
            float[][] base = Evaluator.fit(SPEC, theta, SceneSignals.all(cars, 1, true), p, rescale, false)
                    .predictions();
            assertEquals(2 * 6 * 6 * 3, base[0].length, "two held-out views of 6x6 RGB");
            float[][] heldOutChanged = Evaluator.fit(SPEC, theta, SceneSignals.all(withView(cars, 2, 0.3f), 1, true), p,
                    rescale, false).predictions();
            assertArrayEquals(base[1], heldOutChanged[1], 0f);
            float[][] inputChanged = Evaluator.fit(SPEC, theta, SceneSignals.all(withView(cars, 0, 0.3f), 1, true), p,
                    rescale, false).predictions();
            assertFalse(java.util.Arrays.equals(base[1], inputChanged[1]), "the input view drives the adaptation");
        }
        Evaluator.Result r = Evaluator.evaluate(SPEC, theta, SceneSignals.all(cars, 1, true), p, false, 2);
        assertEquals(2, r.scores().size());
    }
}
