package gradncp.nn;

import gradncp.tensor.Tensor;

/**
 * Convolutions with a weight copy per signal (the reference's MetaBatchConv2DLayer, a grouped
 * conv): the frames of signal b are convolved with weight[b]. Activations are laid out
 * [B, C, T, H, W], channels before frames, so that one batched matmul per layer covers all
 * frames of all signals: the im2col columns of signal b are [Cin*9, T*H*W] and its weight
 * [Cout, Cin*9]. Built from public {@link Tensor} ops, so it differentiates to any order.
 */
public final class BatchConv {
    private BatchConv() {}

    /**
     * 3x3 'same' conv (padding 1): x [B, Cin, T, H, W], weight [B, Cout, Cin, 3, 3], bias [B, Cout]
     * -> [B, Cout, T, H, W].
     */
    public static Tensor conv3x3(Tensor x, Tensor weight, Tensor bias) {
        check("conv3x3", x, weight, bias, 3);
        int b = x.dim(0);
        int cin = x.dim(1);
        int t = x.dim(2);
        int h = x.dim(3);
        int w = x.dim(4);
        int cout = weight.dim(1);
        Tensor cols = x.reshape(b, cin * t, h, w).unfold3x3() // [B, Cin*T*9, H*W], row (c*T + t)*9 + k
                .reshape(b, cin, t, 9, h * w)
                .permute(0, 1, 3, 2, 4) // [B, Cin, 9, T, H*W]
                .reshape(b, cin * 9, t * h * w);
        Tensor y = weight.reshape(b, cout, cin * 9).matmul(cols); // [B, Cout, T*H*W]
        return y.add(bias.reshape(b, cout, 1)).reshape(b, cout, t, h, w);
    }

    /** 1x1 conv: x [B, Cin, T, H, W], weight [B, Cout, Cin, 1, 1], bias [B, Cout] -> [B, Cout, T, H, W]. */
    public static Tensor conv1x1(Tensor x, Tensor weight, Tensor bias) {
        check("conv1x1", x, weight, bias, 1);
        int b = x.dim(0);
        int cin = x.dim(1);
        int cout = weight.dim(1);
        Tensor y = weight.reshape(b, cout, cin).matmul(x.reshape(b, cin, -1)); // [B, Cout, T*H*W]
        return y.add(bias.reshape(b, cout, 1)).reshape(b, cout, x.dim(2), x.dim(3), x.dim(4));
    }

    /**
     * PixelShuffle(r) of every frame, as torch.nn.PixelShuffle: [B, C r^2, T, H, W] ->
     * [B, C, T, H r, W r], with out[c, y r + i, x r + j] = in[c r^2 + i r + j, y, x].
     */
    public static Tensor pixelShuffle(Tensor x, int r) {
        if (x.rank() != 5 || x.dim(1) % (r * r) != 0) {
            throw new IllegalArgumentException("pixelShuffle(" + r + "): needs [B, C*" + (r * r)
                    + ", T, H, W], got " + x.shape());
        }
        int b = x.dim(0);
        int c = x.dim(1) / (r * r);
        int t = x.dim(2);
        int h = x.dim(3);
        int w = x.dim(4);
        return x.reshape(b, c, r, r, t, h, w).permute(0, 1, 4, 5, 2, 6, 3).reshape(b, c, t, h * r, w * r);
    }

    private static void check(String op, Tensor x, Tensor weight, Tensor bias, int k) {
        boolean ok = x.rank() == 5 && weight.rank() == 5 && bias.rank() == 2 && weight.dim(0) == x.dim(0)
                && weight.dim(2) == x.dim(1) && weight.dim(3) == k && weight.dim(4) == k
                && bias.dim(0) == x.dim(0) && bias.dim(1) == weight.dim(1);
        if (!ok) {
            throw new IllegalArgumentException(op + ": needs x [B, Cin, T, H, W], weight [B, Cout, Cin, " + k + ", " + k
                    + "] and bias [B, Cout] (per-signal copies, see Params.perSignal), got " + x.shape() + ", "
                    + weight.shape() + " and " + bias.shape());
        }
    }
}
