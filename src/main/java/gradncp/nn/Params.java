package gradncp.nn;

import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An immutable list of parameter tensors (weights and biases in {@link SirenSpec#params()}
 * order). Either shared ([out, in], [out]) or per signal, with a leading batch axis. An update
 * returns new Params; nothing is mutated.
 */
public record Params(List<Tensor> tensors) {
    public Params {
        tensors = List.copyOf(tensors);
    }

    public Tensor get(int i) {
        return tensors.get(i);
    }

    public int size() {
        return tensors.size();
    }

    public DType dtype() {
        return tensors.get(0).dtype();
    }

    public Params map(UnaryOperator<Tensor> f) {
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(f.apply(t));
        }
        return new Params(out);
    }

    /** Leaves of a new graph (gradients can be taken with respect to them). */
    public Params param() {
        return map(Tensor::param);
    }

    public Params detach() {
        return map(Tensor::detach);
    }

    /** B per-signal copies of shared parameters: [..] -> [B, ..]; gradients sum back. */
    public Params perSignal(int batch) {
        return map(t -> {
            int[] d = t.shape().dims();
            int[] one = new int[d.length + 1];
            int[] many = new int[d.length + 1];
            one[0] = 1;
            many[0] = batch;
            System.arraycopy(d, 0, one, 1, d.length);
            System.arraycopy(d, 0, many, 1, d.length);
            return t.reshape(one).expand(many);
        });
    }

    /** this - lr * g, elementwise per tensor. */
    public Params minus(double lr, List<Tensor> g) {
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            out.add(tensors.get(i).axpy(-lr, g.get(i)));
        }
        return new Params(out);
    }

    /** this - lr * scale[b] * g[b] per signal, for per-signal scales (test-time rescaling). */
    public Params minusScaled(double lr, List<Tensor> g, double[] scale) {
        int batch = scale.length;
        Tensor s = Tensor.of(dtype(), scale, batch);
        List<Tensor> out = new ArrayList<>(tensors.size());
        for (int i = 0; i < tensors.size(); i++) {
            Tensor gi = g.get(i);
            int[] d = new int[gi.rank()];
            java.util.Arrays.fill(d, 1);
            d[0] = batch;
            out.add(tensors.get(i).sub(gi.mul(s.reshape(d)).scale(lr)));
        }
        return new Params(out);
    }

    /** Gradients of a scalar loss with respect to these parameters. */
    public List<Tensor> grad(Tensor loss, Autodiff.Mode mode) {
        return Autodiff.grad(loss, tensors, mode);
    }

    /** Keeps all tensors in the enclosing memory scope. */
    public Params keep(Memory.Scope scope) {
        scope.keepAll(tensors);
        return this;
    }

    /** Global L2 norm per signal over all tensors ([B, ...] each): sqrt(sum of squares) -> [B]. */
    public static Tensor globalNorm(List<Tensor> ts) {
        Tensor acc = null;
        for (Tensor t : ts) {
            int[] axes = new int[t.rank() - 1];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i + 1;
            }
            Tensor sq = t.square().sum(false, axes); // [B]
            acc = acc == null ? sq : acc.add(sq);
        }
        return acc.sqrt();
    }
}
