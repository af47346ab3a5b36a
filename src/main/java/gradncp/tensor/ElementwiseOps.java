package gradncp.tensor;

/**
 * Elementwise ops: the broadcasting binary ops, the fused SGD update and the unary family
 * (one record for every {@link Kernels.Unary} kind).
 */
final class ElementwiseOps {
    private ElementwiseOps() {}

    record Add(Tensor a, Tensor b) implements Op {
        static Tensor apply(Tensor a, Tensor b) {
            return binary(Kernels.Binary.ADD, new Add(a, b), a, b, "add");
        }

        public Tensor[] inputs() {
            return new Tensor[] {a, b};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {g.sumTo(a.shape()), g.sumTo(b.shape())};
        }
    }

    /** y + alpha x in one pass (same shapes): the inner loop's SGD update. */
    record Axpy(Tensor y, Tensor x, double alpha) implements Op {
        static Tensor apply(Tensor y, Tensor x, double alpha) {
            Ops.sameDType("axpy", y, x);
            if (!y.shape().equals(x.shape())) {
                throw new IllegalArgumentException("axpy: shapes " + y.shape() + " and " + x.shape() + " differ");
            }
            Tensor out = Tensor.allocate(y.dtype(), y.shape(), false);
            if (out.isDry()) {
                x.array();
            } else if (y.dtype() == DType.F32) {
                Kernels.axpy(y.f(), x.f(), (float) alpha, out.f(), y.size());
            } else {
                Kernels.axpy(y.d(), x.d(), alpha, out.d(), y.size());
            }
            return Tensor.result(y.shape(), out.storage(), new Axpy(y, x, alpha));
        }

        public Tensor[] inputs() {
            return new Tensor[] {y, x};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {g, x.requiresGrad() ? g.scale(alpha) : null};
        }
    }

    record Mul(Tensor a, Tensor b) implements Op {
        static Tensor apply(Tensor a, Tensor b) {
            return binary(Kernels.Binary.MUL, new Mul(a, b), a, b, "mul");
        }

        public Tensor[] inputs() {
            return new Tensor[] {a, b};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {
                a.requiresGrad() ? g.mul(b).sumTo(a.shape()) : null,
                b.requiresGrad() ? g.mul(a).sumTo(b.shape()) : null
            };
        }
    }

    private static Tensor binary(Kernels.Binary k, Op op, Tensor a, Tensor b, String name) {
        Ops.sameDType(name, a, b);
        Shape s = Shape.broadcast(a.shape(), b.shape(), name);
        Tensor out = Tensor.allocate(a.dtype(), s, false);
        if (!out.isDry()) {
            Kernels.binary(k, a.array(), Ops.broadcastStrides(a.shape(), s), b.array(),
                    Ops.broadcastStrides(b.shape(), s), out.array(), s.dims());
        }
        return Tensor.result(s, out.storage(), op);
    }

    // -------------------------------------------------------------------------- unary
    record Unary(Kernels.Unary kind, Tensor x, double c) implements Op {
        static Tensor apply(Kernels.Unary kind, Tensor x, double c) {
            Tensor out = Tensor.allocate(x.dtype(), x.shape(), false);
            if (out.isDry()) {
                x.array();
            } else if (x.dtype() == DType.F32) {
                Kernels.unary(kind, c, x.f(), out.f(), x.size());
            } else {
                Kernels.unary(kind, c, x.d(), out.d(), x.size());
            }
            return Tensor.result(x.shape(), out.storage(), new Unary(kind, x, c));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        @Override
        public String name() {
            return kind.name().toLowerCase(java.util.Locale.ROOT);
        }

        public Tensor[] backward(Tensor y, Tensor g) {
            Tensor dx = switch (kind) {
                case NEG -> g.neg();
                case RECIP -> g.mul(y.square()).neg(); // d(1/x) = -1/x^2
                case SIN -> g.mul(x.cos());
                case COS -> g.mul(x.sin()).neg();
                case SQRT -> g.mul(y.recip()).scale(0.5);
                case EXP -> g.mul(y);
                case LOG -> g.mul(x.recip());
                case TANH -> g.mul(y.square().neg().addScalar(1.0)); // 1 - tanh^2
                case ERF -> g.mul(x.square().neg().exp()).scale(2.0 / Math.sqrt(Math.PI));
                case SCALE -> g.scale(c);
                case ADD_SCALAR -> g;
                case SINW -> LayerOps.SinwGrad.apply(g, x, c);
                case SQUARE -> g.mul(x).scale(2.0);
            };
            return new Tensor[] {dx};
        }

        @Override
        public GradTerms.Term[] detachedTerms(Tensor y, Tensor g) {
            return kind == Kernels.Unary.SINW ? new GradTerms.Term[] {new GradTerms.Cos(g, x, c)} : null;
        }
    }
}
