package gradncp.tensor.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * float32 sine and cosine of vector lanes, faster than the Vector API's SVML calls
 * (BENCHMARKS.md, session 3), for the SIREN's
 * activations and their derivatives, which evaluate one sine or cosine per element of every
 * [N, width] tensor.
 *
 * <p>Method: x = m pi + r with m = round(x / pi) (for the cosine, x = (m + 1/2) pi + r), the
 * product m pi subtracted in three parts (Cody-Waite; exact for |m| < 2^15), then the Taylor
 * series of sin(r) to degree 11 on |r| <= pi/2 (truncation error below 6e-8) and the sign
 * (-1)^m read from the bits of the rounding. Maximum error against Math.sin over |x| <= 2000:
 * below 1e-6 (TrigTest). Lanes with |x| > 10^4 (and NaN or infinite lanes) take the SVML path.
 */
public final class Trig {
    private Trig() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** 1.5 * 2^23: adding it rounds a float of magnitude < 2^22 to an integer in the low bits. */
    private static final float MAGIC = 12582912f;
    private static final float INV_PI = (float) (1 / Math.PI);
    // pi = PI_A + PI_B + PI_C; PI_A and PI_B have few significant bits, so m * PI_A, m * PI_B are exact
    private static final float PI_A = 3.140625f;
    private static final float PI_B = 9.670257568359375e-4f;
    private static final float PI_C = (float) (Math.PI - 3.140625 - 9.670257568359375e-4);
    private static final float C3 = (float) (-1.0 / 6);
    private static final float C5 = (float) (1.0 / 120);
    private static final float C7 = (float) (-1.0 / 5040);
    private static final float C9 = (float) (1.0 / 362880);
    private static final float C11 = (float) (-1.0 / 39916800);
    /** Beyond this |x| the reduction is not exact enough: those lanes use SVML. */
    private static final float LIMIT = 1e4f;

    /** sin(x) per lane. */
    public static FloatVector sin(FloatVector x) {
        if (outOfRange(x)) {
            return x.lanewise(VectorOperators.SIN);
        }
        FloatVector t = x.mul(INV_PI).add(MAGIC);
        FloatVector m = t.sub(MAGIC);
        return signed(poly(reduce(x, m)), t, 0);
    }

    /** cos(x) per lane: cos(x) = -(-1)^m sin(x - (m + 1/2) pi). */
    public static FloatVector cos(FloatVector x) {
        if (outOfRange(x)) {
            return x.lanewise(VectorOperators.COS);
        }
        FloatVector t = x.mul(INV_PI).sub(0.5f).add(MAGIC);
        FloatVector h = t.sub(MAGIC).add(0.5f);
        return signed(poly(reduce(x, h)), t, 1);
    }

    private static boolean outOfRange(FloatVector x) {
        VectorMask<Float> ok = x.abs().compare(VectorOperators.LE, LIMIT); // false for NaN
        return !ok.allTrue();
    }

    /** x - m pi in three exact-product steps. */
    private static FloatVector reduce(FloatVector x, FloatVector m) {
        FloatVector r = m.mul(-PI_A).add(x);
        r = m.mul(-PI_B).add(r);
        return m.mul(-PI_C).add(r);
    }

    /** sin(r) for |r| <= pi/2 (a little beyond is fine): Taylor to degree 11. */
    private static FloatVector poly(FloatVector r) {
        FloatVector r2 = r.mul(r);
        FloatVector p = r2.mul(C11).add(C9);
        p = p.mul(r2).add(C7);
        p = p.mul(r2).add(C5);
        p = p.mul(r2).add(C3);
        return p.mul(r2).mul(r).add(r);
    }

    /** Flips the sign of v where (rounded integer in t's low bits + flip) is odd. */
    private static FloatVector signed(FloatVector v, FloatVector t, int flip) {
        var bits = t.reinterpretAsInts().add(flip).lanewise(VectorOperators.LSHL, 31);
        return v.reinterpretAsInts().lanewise(VectorOperators.XOR, bits).reinterpretAsFloats();
    }

    /** Scalar versions with the same arithmetic, for loop tails (so every element agrees). */
    public static float sin(float x) {
        return sin(FloatVector.broadcast(S, x)).lane(0);
    }

    public static float cos(float x) {
        return cos(FloatVector.broadcast(S, x)).lane(0);
    }
}
