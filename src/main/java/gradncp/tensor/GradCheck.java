package gradncp.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Float64 central finite-difference checks of gradients, to any order (JAX check_grads style).
 *
 * <p>Order 1 compares the analytic directional derivative {@code <grad f(x), v>} with
 * {@code (f(x + eps v) - f(x - eps v)) / 2 eps} along a random direction v. Order n > 1 checks
 * order 1 of {@code x -> <grad f(x), u>} with the gradient built as a differentiable graph, i.e.
 * the (n)-th derivative against finite differences of the analytic (n-1)-th.
 */
public final class GradCheck {
    public static final double EPS = 1e-6;

    /** A scalar function of several tensors. */
    @FunctionalInterface
    public interface Fn extends Function<List<Tensor>, Tensor> {}

    private GradCheck() {}

    /** The relative error |analytic - numeric| / max(|analytic|, |numeric|, 1e-10) at the given order. */
    public static double relativeError(Fn f, List<double[]> values, List<int[]> shapes, int order, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Fn g = f;
        for (int o = 1; o < order; o++) {
            g = directional(g, shapes, randomDirection(shapes, rng));
        }
        return firstOrder(g, values, shapes, randomDirection(shapes, rng));
    }

    /** x -> <grad f(x), u>, differentiable. */
    static Fn directional(Fn f, List<int[]> shapes, List<double[]> u) {
        return xs -> {
            Tensor y = f.apply(xs);
            List<Tensor> gs = Autodiff.grad(y, xs, Autodiff.Mode.DIFFERENTIABLE);
            Tensor acc = null;
            for (int i = 0; i < gs.size(); i++) {
                Tensor term = gs.get(i).mul(Tensor.of(u.get(i), shapes.get(i))).sum();
                acc = acc == null ? term : acc.add(term);
            }
            return acc;
        };
    }

    private static double firstOrder(Fn f, List<double[]> values, List<int[]> shapes, List<double[]> v) {
        List<Tensor> xs = leaves(values, shapes, 0, v);
        Tensor y = f.apply(xs);
        List<Tensor> gs = Autodiff.grad(y, xs, Autodiff.Mode.DETACHED);
        double analytic = 0;
        for (int i = 0; i < gs.size(); i++) {
            double[] g = gs.get(i).toDoubleArray();
            for (int j = 0; j < g.length; j++) {
                analytic += g[j] * v.get(i)[j];
            }
        }
        double plus = f.apply(leaves(values, shapes, EPS, v)).item();
        double minus = f.apply(leaves(values, shapes, -EPS, v)).item();
        double numeric = (plus - minus) / (2 * EPS);
        return Math.abs(analytic - numeric) / Math.max(Math.max(Math.abs(analytic), Math.abs(numeric)), 1e-10);
    }

    private static List<Tensor> leaves(List<double[]> values, List<int[]> shapes, double step, List<double[]> v) {
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            double[] x = values.get(i).clone();
            for (int j = 0; j < x.length; j++) {
                x[j] += step * v.get(i)[j];
            }
            xs.add(Tensor.of(x, shapes.get(i)).param());
        }
        return xs;
    }

    private static List<double[]> randomDirection(List<int[]> shapes, SplittableRandom rng) {
        List<double[]> out = new ArrayList<>();
        for (int[] s : shapes) {
            double[] d = new double[Shape.of(s).size()];
            for (int j = 0; j < d.length; j++) {
                d[j] = rng.nextDouble(-1, 1);
            }
            out.add(d);
        }
        return out;
    }
}
