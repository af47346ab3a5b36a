package gradncp.tensor.kernel;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * Horizontal sums of a vector in a fixed order. {@code reduceLanes(ADD)} may add the lanes in a
 * different order once C2 compiles it than in the interpreter, so the same computation could
 * differ in the last bit between runs; this order never changes.
 */
public final class Lanes {
    private Lanes() {}

    public static float sum(FloatVector v) {
        float[] t = v.toArray();
        float s = 0f;
        for (float x : t) {
            s += x;
        }
        return s;
    }

    public static double sum(DoubleVector v) {
        double[] t = v.toArray();
        double s = 0d;
        for (double x : t) {
            s += x;
        }
        return s;
    }
}
