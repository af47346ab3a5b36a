package gradncp.tensor;

/**
 * 3x3 and 1x1 convolutions as im2col plus matrix product, with {@link Unfold} (im2col) and its
 * adjoint {@link Fold}.
 */
final class ConvOps {
    private ConvOps() {}

    static Tensor conv2d3x3(Tensor x, Tensor w, Tensor bias) {
        if (x.rank() != 4 || w.rank() != 4 || w.dim(2) != 3 || w.dim(3) != 3 || w.dim(1) != x.dim(1)) {
            throw new IllegalArgumentException("conv2d3x3: needs x [B, Cin, H, W] and weight [Cout, Cin, 3, 3], got "
                    + x.shape() + " and " + w.shape());
        }
        int b = x.dim(0);
        int h = x.dim(2);
        int wd = x.dim(3);
        int cout = w.dim(0);
        Tensor cols = Unfold.apply(x); // [B, Cin*9, H*W]
        Tensor y = w.reshape(cout, -1).matmul(cols); // [B, Cout, H*W]
        return y.add(bias.reshape(cout, 1)).reshape(b, cout, h, wd);
    }

    static Tensor conv2d1x1(Tensor x, Tensor w, Tensor bias) {
        if (x.rank() != 4 || w.dim(1) != x.dim(1)) {
            throw new IllegalArgumentException("conv2d1x1: needs x [B, Cin, H, W] and weight [Cout, Cin], got "
                    + x.shape() + " and " + w.shape());
        }
        int b = x.dim(0);
        int cout = w.dim(0);
        Tensor y = w.reshape(cout, x.dim(1)).matmul(x.reshape(b, x.dim(1), -1)); // [B, Cout, H*W]
        return y.add(bias.reshape(cout, 1)).reshape(b, cout, x.dim(2), x.dim(3));
    }

    /** im2col for a 3x3 window with zero padding 1: [B, C, H, W] -> [B, C*9, H*W]. */
    record Unfold(Tensor x) implements Op {
        static Tensor apply(Tensor x) {
            int b = x.dim(0);
            int c = x.dim(1);
            int h = x.dim(2);
            int w = x.dim(3);
            Shape s = Shape.of(b, c * 9, h * w);
            Tensor out = Tensor.allocate(x.dtype(), s, true);
            im2col(x, out, b, c, h, w, true);
            return Tensor.result(s, out.storage(), new Unfold(x));
        }

        public Tensor[] inputs() {
            return new Tensor[] {x};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {Fold.apply(g, x.dim(1), x.dim(2), x.dim(3))};
        }
    }

    /** col2im, the adjoint of {@link Unfold}: [B, C*9, H*W] -> [B, C, H, W], overlaps summed. */
    record Fold(Tensor cols, int c, int h, int w) implements Op {
        static Tensor apply(Tensor cols, int c, int h, int w) {
            int b = cols.dim(0);
            Shape s = Shape.of(b, c, h, w);
            Tensor out = Tensor.allocate(cols.dtype(), s, true);
            im2col(out, cols, b, c, h, w, false);
            return Tensor.result(s, out.storage(), new Fold(cols, c, h, w));
        }

        public Tensor[] inputs() {
            return new Tensor[] {cols};
        }

        public Tensor[] backward(Tensor out, Tensor g) {
            return new Tensor[] {Unfold.apply(g)};
        }
    }

    /** unfold (forward=true: cols[..] = img[..]) or fold (cols added into img). */
    private static void im2col(Tensor img, Tensor cols, int b, int c, int h, int w, boolean forward) {
        if ((forward ? cols : img).isDry()) {
            return;
        }
        boolean f32 = img.dtype() == DType.F32;
        int hw = h * w;
        for (int n = 0; n < b; n++) {
            for (int ch = 0; ch < c; ch++) {
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        int row = ((n * c + ch) * 9 + ky * 3 + kx) * hw;
                        int base = (n * c + ch) * hw;
                        for (int y = 0; y < h; y++) {
                            int sy = y + ky - 1;
                            if (sy < 0 || sy >= h) {
                                continue;
                            }
                            for (int x = 0; x < w; x++) {
                                int sx = x + kx - 1;
                                if (sx < 0 || sx >= w) {
                                    continue;
                                }
                                int ci = row + y * w + x;
                                int ii = base + sy * w + sx;
                                if (f32) {
                                    if (forward) {
                                        cols.f()[ci] = img.f()[ii];
                                    } else {
                                        img.f()[ii] += cols.f()[ci];
                                    }
                                } else if (forward) {
                                    cols.d()[ci] = img.d()[ii];
                                } else {
                                    img.d()[ii] += cols.d()[ci];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
