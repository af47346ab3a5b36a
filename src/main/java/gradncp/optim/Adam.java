package gradncp.optim;

import gradncp.nn.Params;
import gradncp.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam (Kingma and Ba, 2015) with PyTorch's update order and defaults (betas 0.9/0.999, eps
 * 1e-8, no weight decay), preceded by global gradient-norm clipping as torch's clip_grad_norm_
 * does it: g *= min(1, maxNorm / (||g|| + 1e-6)). State is kept in float64.
 */
public final class Adam {
    private final double lr;
    private final double beta1 = 0.9;
    private final double beta2 = 0.999;
    private final double eps = 1e-8;
    private final double[][] m;
    private final double[][] v;
    private long step;

    public Adam(double lr, Params shape) {
        if (!(lr > 0)) {
            throw new IllegalArgumentException("outer learning rate must be > 0, got " + lr);
        }
        this.lr = lr;
        m = new double[shape.size()][];
        v = new double[shape.size()][];
        for (int i = 0; i < shape.size(); i++) {
            m[i] = new double[shape.get(i).size()];
            v[i] = new double[shape.get(i).size()];
        }
    }

    public long step() {
        return step;
    }

    /** First and second moments, for checkpoints. */
    public double[][] firstMoment() {
        return m;
    }

    public double[][] secondMoment() {
        return v;
    }

    /** Restores the state written by a checkpoint. */
    public void restore(long stepCount, double[][] m1, double[][] m2) {
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m1[i], 0, m[i], 0, m[i].length);
            System.arraycopy(m2[i], 0, v[i], 0, v[i].length);
        }
        step = stepCount;
    }

    /** Global L2 norm over all gradient tensors. */
    public static double globalNorm(List<double[]> grads) {
        double s = 0;
        for (double[] g : grads) {
            for (double x : g) {
                s += x * x;
            }
        }
        return Math.sqrt(s);
    }

    /** Scales grads in place so that their global norm is at most maxNorm; returns the norm before. */
    public static double clip(List<double[]> grads, double maxNorm) {
        double norm = globalNorm(grads);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1) {
            for (double[] g : grads) {
                for (int i = 0; i < g.length; i++) {
                    g[i] *= coef;
                }
            }
        }
        return norm;
    }

    /** One update; returns the new parameters (same dtype and shapes). */
    public Params update(Params params, List<double[]> grads) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2 = Math.sqrt(1 - Math.pow(beta2, step));
        double stepSize = lr / bc1;
        List<Tensor> out = new ArrayList<>(params.size());
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            double[] x = p.toDoubleArray();
            double[] g = grads.get(i);
            double[] mi = m[i];
            double[] vi = v[i];
            for (int j = 0; j < x.length; j++) {
                mi[j] = beta1 * mi[j] + (1 - beta1) * g[j];
                vi[j] = beta2 * vi[j] + (1 - beta2) * g[j] * g[j];
                x[j] -= stepSize * mi[j] / (Math.sqrt(vi[j]) / bc2 + eps);
            }
            out.add(Tensor.of(p.dtype(), x, p.shape().dims()));
        }
        return new Params(out);
    }
}
