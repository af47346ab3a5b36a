package gradncp.tensor;

/**
 * The error function in double precision (needed by the exact GELU of NeRV). Maclaurin series
 * for |x| < 2 and the Laplace continued fraction of erfc beyond; both accurate to about 1e-15,
 * which float64 finite-difference gradient checks need.
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    private Erf() {}

    static double erf(double x) {
        double ax = Math.abs(x);
        if (Double.isNaN(x)) {
            return x;
        }
        if (ax < 2.0) {
            // erf x = 2/sqrt(pi) * sum_n (-1)^n x^(2n+1) / (n! (2n+1))
            double x2 = x * x;
            double term = x;
            double sum = x;
            for (int n = 1; n < 80; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) {
                    break;
                }
            }
            return TWO_OVER_SQRT_PI * sum;
        }
        if (ax > 6.5) {
            return Math.signum(x);
        }
        // erfc x = exp(-x^2)/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + ...)))))
        double t = ax;
        for (int k = 60; k >= 1; k--) {
            t = ax + (k / 2.0) / t;
        }
        double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / t;
        return Math.signum(x) * (1.0 - erfc);
    }
}
