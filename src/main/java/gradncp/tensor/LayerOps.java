package gradncp.tensor;

import gradncp.tensor.kernel.Gemm;

/**
 * The fused ops of a network layer: x W^T + bias with the bias add (and, for a SIREN layer,
 * the sine) fused into the product, and the sine's fused backward {@link SinwGrad}.
 */
final class LayerOps {
    private LayerOps() {}

    /** g * w0 * cos(w0 z): the backward of sin(w0 z), fused; itself differentiable. */
    record SinwGrad(Tensor g, Tensor z, double w0) implements Op {
        static Tensor apply(Tensor g, Tensor z, double w0) {
            if (!g.shape().equals(z.shape())) {
                throw new IllegalArgumentException("sinwGrad: shapes " + g.shape() + " and " + z.shape() + " differ");
            }
            Tensor out = Tensor.allocate(z.dtype(), z.shape(), false);
            if (out.isDry()) {
                g.array();
            } else if (z.dtype() == DType.F32) {
                Kernels.sinwGrad(g.f(), z.f(), (float) w0, out.f(), z.size());
            } else {
                Kernels.sinwGrad(g.d(), z.d(), w0, out.d(), z.size());
            }
            return Tensor.result(z.shape(), out.storage(), new SinwGrad(g, z, w0));
        }

        public Tensor[] inputs() {
            return new Tensor[] {g, z};
        }

        /** The same pass as {@link #apply}: a recomputed value equals the evicted one bit for bit. */
        @Override
        public Storage.Remat remat() {
            int n = z.size();
            return z.dtype() == DType.F32
                    ? array -> Kernels.sinwGrad(g.f(), z.f(), (float) w0, (float[]) array, n)
                    : array -> Kernels.sinwGrad(g.d(), z.d(), w0, (double[]) array, n);
        }

        public Tensor[] backward(Tensor out, Tensor gg) {
            return new Tensor[] {
                g.requiresGrad() ? apply(gg, z, w0) : null,
                // d/dz [g w0 cos(w0 z)] = -g w0^2 sin(w0 z)
                z.requiresGrad() ? gg.mul(g).mul(z.sinw(w0)).scale(-w0 * w0) : null
            };
        }

        @Override
        public GradTerms.Term[] detachedTerms(Tensor out, Tensor gg) {
            return new GradTerms.Term[] {
                g.requiresGrad() ? new GradTerms.Cos(gg, z, w0) : null,
                z.requiresGrad() ? new GradTerms.Sin(gg, g, z, w0) : null
            };
        }
    }

    /**
     * x W^T + bias with the bias add fused into the product; {@link #withSinw} also fuses the
     * SIREN activation sin(w0 z) into the same pass over the output.
     */
    record Linear(Tensor x, Tensor w, Tensor bias) implements Op {
        static Tensor apply(Tensor x, Tensor w, Tensor bias) {
            return compute(x, w, bias, Double.NaN)[0];
        }

        /**
         * {z, sin(w0 z)} for z = x W^T + bias, both graph nodes (a linear and a sinw op). Outside
         * the graph ({@link Autodiff#noGrad}) the sine overwrites z in place and z is null: an
         * inference pass then writes one [N, width] tensor per layer instead of two.
         */
        static Tensor[] withSinw(Tensor x, Tensor w, Tensor bias, double w0) {
            if (!(w0 == w0)) {
                throw new IllegalArgumentException("linearSinw: w0 must be a number, got " + w0);
            }
            return compute(x, w, bias, w0);
        }

        private static Tensor[] compute(Tensor x, Tensor w, Tensor bias, double w0) {
            Ops.sameDType("linear", x, w);
            Ops.sameDType("linear", x, bias);
            MatrixOps.Mm d = MatrixOps.Mm.of("linear", x, w, false, true);
            int out = d.n();
            boolean biasBatched = bias.rank() == 2;
            if (bias.dim(-1) != out || bias.rank() > 2 || (biasBatched && bias.dim(0) != d.batch())) {
                throw new IllegalArgumentException("linear: bias " + bias.shape() + " does not match output width "
                        + out + " (expected [" + out + "] or [" + d.batch() + ", " + out + "])");
            }
            Shape s = d.batched() ? Shape.of(d.batch(), d.m(), out) : Shape.of(d.m(), out);
            Tensor y = Tensor.allocate(x.dtype(), s, false);
            boolean sin = w0 == w0;
            boolean inPlace = sin && !Autodiff.recording();
            Tensor h = !sin ? null : inPlace ? y : Tensor.allocate(x.dtype(), s, false);
            if (x.dtype() == DType.F32 && !y.isDry()) {
                FlopCounter.addMatmul(2L * d.batch() * d.m() * d.n() * d.k());
                Gemm.sgemmLinear(d.batch(), d.m(), d.n(), d.k(), x.f(), d.aStride(), w.f(), d.bStride(), bias.f(),
                        biasBatched ? out : 0, y.f(), sin ? h.f() : null, (float) w0);
            } else {
                Shape bs = biasBatched ? Shape.of(d.batch(), 1, out) : Shape.of(out);
                Object zero = x.dtype() == DType.F32 ? new float[1] : new double[1];
                if (!y.isDry()) {
                    Kernels.binary(Kernels.Binary.ADD, bias.array(), Ops.broadcastStrides(bs, s), zero,
                            new int[s.rank()], y.array(), s.dims());
                }
                d.run(x, w, y, true);
                if (sin && !y.isDry()) {
                    Kernels.unary(Kernels.Unary.SINW, w0, y.d(), h.d(), y.size());
                }
            }
            if (inPlace) {
                return new Tensor[] {null, h};
            }
            Tensor z = Tensor.result(s, y.storage(), new Linear(x, w, bias));
            return sin ? new Tensor[] {z, Tensor.result(s, h.storage(), new ElementwiseOps.Unary(Kernels.Unary.SINW, z, w0))}
                    : new Tensor[] {z};
        }

        public Tensor[] inputs() {
            return new Tensor[] {x, w, bias};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            Tensor dx = x.requiresGrad() ? g.matmul(w).sumTo(x.shape()) : null;
            Tensor dw = w.requiresGrad() ? g.matmul(x, true, false).sumTo(w.shape()) : null;
            Tensor db = null;
            if (bias.requiresGrad()) {
                db = g.sum(false, g.rank() - 2).sumTo(bias.shape());
            }
            return new Tensor[] {dx, dw, db};
        }

        @Override
        public GradTerms.Term[] detachedTerms(Tensor out, Tensor g) {
            return new GradTerms.Term[] {
                x.requiresGrad() ? GradTerms.product(g, w, false, false, x.shape()) : null,
                w.requiresGrad() ? GradTerms.product(g, x, true, false, w.shape()) : null,
                bias.requiresGrad() ? new GradTerms.Dense(g.sum(false, g.rank() - 2).sumTo(bias.shape())) : null
            };
        }
    }
}
