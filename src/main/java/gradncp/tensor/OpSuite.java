package gradncp.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * The per-op gradient-check cases, shared by the unit tests and {@code gradncp gradcheck}. Each
 * op output y is turned into the nonlinear scalar sum(c1 y^2 + c2 y) with fixed random c1, c2,
 * so that second and third derivatives through the op are non-trivial.
 */
public final class OpSuite {
    /** One op under test: input shapes, the input value range, and the op. */
    public record Case(String name, List<int[]> shapes, double lo, double hi,
            Function<List<Tensor>, Tensor> op) {
        /** The scalar test function. */
        public GradCheck.Fn scalar() {
            return xs -> {
                Tensor y = op.apply(xs);
                SplittableRandom r = new SplittableRandom(7);
                double[] c1 = new double[y.size()];
                double[] c2 = new double[y.size()];
                for (int i = 0; i < c1.length; i++) {
                    c1[i] = r.nextDouble(-1, 1);
                    c2[i] = r.nextDouble(-1, 1);
                }
                int[] d = y.shape().dims();
                return y.mul(y).mul(Tensor.of(c1, d)).add(y.mul(Tensor.of(c2, d))).sum();
            };
        }

        /** Input values drawn from [lo, hi) with a fixed seed. */
        public List<double[]> values(long seed) {
            SplittableRandom r = new SplittableRandom(seed);
            List<double[]> vs = new ArrayList<>();
            for (int[] s : shapes) {
                double[] v = new double[Shape.of(s).size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = r.nextDouble(lo, hi);
                }
                vs.add(v);
            }
            return vs;
        }

        /** Worst relative error over a few seeds at the given order. */
        public double check(int order) {
            double worst = 0;
            for (long seed = 1; seed <= 2; seed++) {
                worst = Math.max(worst, GradCheck.relativeError(scalar(), values(seed), shapes, order, seed * 31));
            }
            return worst;
        }
    }

    private OpSuite() {}

    private static List<int[]> s(int[]... shapes) {
        return List.of(shapes);
    }

    private static int[] d(int... dims) {
        return dims;
    }

    private static Case c(String name, List<int[]> shapes, Function<List<Tensor>, Tensor> op) {
        return new Case(name, shapes, -1, 1, op);
    }

    private static final int[][] GATHER = {{2, 0, 2}, {1, 3, 3}};

    /** All per-op cases. */
    public static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        out.add(c("add", s(d(3, 4), d(3, 4)), x -> x.get(0).add(x.get(1))));
        out.add(c("add_broadcast", s(d(2, 3, 4), d(3, 1)), x -> x.get(0).add(x.get(1))));
        out.add(c("sub", s(d(3, 4), d(4)), x -> x.get(0).sub(x.get(1))));
        out.add(c("mul", s(d(3, 4), d(3, 4)), x -> x.get(0).mul(x.get(1))));
        out.add(c("axpy", s(d(2, 3), d(2, 3)), x -> x.get(0).axpy(-0.7, x.get(1))));
        out.add(c("mul_broadcast", s(d(2, 1, 4), d(3, 1)), x -> x.get(0).mul(x.get(1))));
        out.add(new Case("div", s(d(3, 4), d(3, 4)), 0.5, 2, x -> x.get(0).div(x.get(1))));
        out.add(c("neg", s(d(5)), x -> x.get(0).neg()));
        out.add(new Case("recip", s(d(5)), 0.5, 2, x -> x.get(0).recip()));
        out.add(c("sin", s(d(2, 5)), x -> x.get(0).sin()));
        out.add(c("cos", s(d(2, 5)), x -> x.get(0).cos()));
        out.add(new Case("sqrt", s(d(6)), 0.5, 2, x -> x.get(0).sqrt()));
        out.add(c("exp", s(d(6)), x -> x.get(0).exp()));
        out.add(new Case("log", s(d(6)), 0.5, 2, x -> x.get(0).log()));
        out.add(c("tanh", s(d(6)), x -> x.get(0).tanh()));
        out.add(new Case("erf", s(d(6)), -2.5, 2.5, x -> x.get(0).erf()));
        out.add(new Case("gelu", s(d(6)), -3, 3, x -> x.get(0).gelu()));
        out.add(c("square", s(d(6)), x -> x.get(0).square()));
        out.add(c("relu", s(d(2, 6)), x -> x.get(0).relu()));
        out.add(c("scale", s(d(6)), x -> x.get(0).scale(-2.5)));
        out.add(c("add_scalar", s(d(6)), x -> x.get(0).addScalar(0.75)));
        out.add(c("sinw", s(d(2, 6)), x -> x.get(0).sinw(3.0)));
        out.add(c("sum_axis", s(d(2, 3, 4)), x -> x.get(0).sum(false, 1)));
        out.add(c("sum_axes_keep", s(d(2, 3, 4)), x -> x.get(0).sum(true, 0, 2)));
        out.add(c("sum_all", s(d(2, 3)), x -> x.get(0).sum()));
        out.add(c("sum_squares", s(d(2, 3, 4)), x -> x.get(0).sumSquares()));
        out.add(c("mean", s(d(2, 3, 4)), x -> x.get(0).mean(false, 2)));
        out.add(c("reshape", s(d(2, 6)), x -> x.get(0).reshape(3, 4)));
        out.add(c("expand", s(d(3, 1)), x -> x.get(0).expand(2, 3, 4)));
        out.add(c("permute", s(d(2, 3, 4)), x -> x.get(0).permute(2, 0, 1)));
        out.add(c("transpose", s(d(3, 4)), x -> x.get(0).transpose(0, 1)));
        out.add(c("matmul_nn", s(d(3, 4), d(4, 5)), x -> x.get(0).matmul(x.get(1))));
        out.add(c("matmul_nt", s(d(2, 3, 4), d(2, 5, 4)), x -> x.get(0).matmul(x.get(1), false, true)));
        out.add(c("matmul_tn", s(d(2, 4, 3), d(2, 4, 5)), x -> x.get(0).matmul(x.get(1), true, false)));
        out.add(c("matmul_tt", s(d(4, 3), d(2, 5, 4)), x -> x.get(0).matmul(x.get(1), true, true)));
        out.add(c("linear_batched", s(d(2, 5, 3), d(2, 4, 3), d(2, 4)), x -> x.get(0).linear(x.get(1), x.get(2))));
        out.add(c("linear_shared", s(d(2, 5, 3), d(4, 3), d(4)), x -> x.get(0).linear(x.get(1), x.get(2))));
        out.add(c("linear_sinw", s(d(2, 5, 3), d(2, 4, 3), d(4)), x -> x.get(0).linearSinw(x.get(1), x.get(2), 3.0)[1]));
        out.add(c("gather", s(d(2, 4, 3)), x -> x.get(0).gather(GATHER)));
        out.add(c("scatter_add", s(d(2, 3, 2)), x -> x.get(0).scatterAdd(GATHER, 5)));
        out.add(c("slice", s(d(3, 5, 2)), x -> x.get(0).slice(1, 1, 3)));
        out.add(c("pad", s(d(3, 2)), x -> x.get(0).pad(0, 1, 5)));
        out.add(c("concat", s(d(2, 3), d(2, 2)), x -> Tensor.concat(1, List.of(x.get(0), x.get(1)))));
        out.add(c("conv2d3x3", s(d(2, 2, 4, 3), d(3, 2, 3, 3), d(3)), x -> x.get(0).conv2d3x3(x.get(1), x.get(2))));
        out.add(c("conv2d1x1", s(d(2, 3, 2, 3), d(2, 3), d(2)), x -> x.get(0).conv2d1x1(x.get(1), x.get(2))));
        out.add(c("pixel_shuffle", s(d(1, 8, 2, 3)), x -> x.get(0).pixelShuffle(2)));
        return out;
    }

    /** A composite (a tiny SIREN-like layer stack) for third-order checks. */
    public static Case composite() {
        return new Case("siren_composite", s(d(5, 2), d(3, 2), d(3), d(1, 3), d(1)), -1, 1,
                x -> x.get(0).linear(x.get(1), x.get(2)).sinw(2.0).linear(x.get(3), x.get(4)).tanh());
    }
}
