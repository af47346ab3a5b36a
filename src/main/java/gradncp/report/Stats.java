package gradncp.report;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Small statistics for the report: means over signals and Spearman's rank correlation. */
final class Stats {
    private Stats() {}

    /** Spearman's rho: the Pearson correlation of the ranks (ties get their average rank). NaN if constant. */
    static double spearman(double[] a, double[] b) {
        if (a.length != b.length || a.length < 2) {
            throw new IllegalArgumentException("spearman needs two arrays of equal length >= 2, got " + a.length
                    + " and " + b.length);
        }
        return pearson(ranks(a), ranks(b));
    }

    static double[] ranks(double[] v) {
        Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length;) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            double avg = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                r[order[t]] = avg;
            }
            i = j + 1;
        }
        return r;
    }

    static double pearson(double[] x, double[] y) {
        double mx = mean(x);
        double my = mean(y);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx == 0 || syy == 0 ? Double.NaN : sxy / Math.sqrt(sxx * syy);
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    /** Column means of rows [signal][step] -> [step]. */
    static double[] columnMeans(double[][] rows) {
        double[] out = new double[rows[0].length];
        for (double[] r : rows) {
            for (int k = 0; k < out.length; k++) {
                out[k] += r[k] / rows.length;
            }
        }
        return out;
    }

    /**
     * Which values lie strictly above the q-quantile of v (the sorted value at floor(q (n - 1))),
     * so ties at the threshold stay out and a constant v has no value above.
     */
    static boolean[] above(double[] v, double q) {
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        double threshold = sorted[(int) Math.floor(q * (sorted.length - 1))];
        boolean[] out = new boolean[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] > threshold;
        }
        return out;
    }

    /** 0, 1, ..., n-1 as doubles (the x axis of a per-step series). */
    static double[] steps(int n) {
        return IntStream.range(0, n).asDoubleStream().toArray();
    }
}
