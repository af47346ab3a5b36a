package gradncp.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class TrigTest {
    private static final jdk.incubator.vector.VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** Max |Trig - Math| over lanes filled from xs. */
    private static double maxError(float[] xs, boolean cos) {
        double worst = 0;
        float[] out = new float[S.length()];
        for (int i = 0; i + S.length() <= xs.length; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, xs, i);
            (cos ? Trig.cos(x) : Trig.sin(x)).intoArray(out, 0);
            for (int j = 0; j < out.length; j++) {
                double want = cos ? Math.cos(xs[i + j]) : Math.sin(xs[i + j]);
                worst = Math.max(worst, Math.abs(out[j] - want));
            }
        }
        return worst;
    }

    @Test
    void matchesMathWithinOneMillionthOverTheSirenRange() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] xs = new float[1 << 16];
        for (int i = 0; i < xs.length; i++) {
            // w0 z with w0 = 30: mostly small, some far out; plus the quadrant boundaries k pi / 2
            xs[i] = i % 4 == 0 ? (float) ((i / 4 % 2000 - 1000) * Math.PI / 2)
                    : (float) (rng.nextDouble(-1, 1) * (i % 4 == 1 ? 4 : 2000));
        }
        double s = maxError(xs, false), c = maxError(xs, true);
        assertTrue(s < 1e-6, "sin max error " + s);
        assertTrue(c < 1e-6, "cos max error " + c);
    }

    @Test
    void outOfRangeAndNonFiniteLanesFollowMath() {
        float[] xs = new float[S.length()];
        float[] special = {1e5f, -3e7f, Float.NaN, Float.POSITIVE_INFINITY, 0f, -0f, 12345.678f, 1f};
        for (int i = 0; i < xs.length; i++) {
            xs[i] = special[i % special.length];
        }
        float[] s = new float[xs.length], c = new float[xs.length];
        Trig.sin(FloatVector.fromArray(S, xs, 0)).intoArray(s, 0);
        Trig.cos(FloatVector.fromArray(S, xs, 0)).intoArray(c, 0);
        for (int i = 0; i < xs.length; i++) {
            assertEquals(Math.sin(xs[i]), s[i], 1e-6, "sin(" + xs[i] + ")");
            assertEquals(Math.cos(xs[i]), c[i], 1e-6, "cos(" + xs[i] + ")");
        }
        assertEquals(Math.sin(0.7f), Trig.sin(0.7f), 1e-7);
        assertEquals(Math.cos(-2.5f), Trig.cos(-2.5f), 1e-7);
    }
}
