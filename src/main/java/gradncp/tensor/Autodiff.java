package gradncp.tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reverse-mode automatic differentiation as a function: {@code grad(loss, wrt, mode)} returns
 * the gradients as tensors. In {@link Mode#DIFFERENTIABLE} mode the gradients are themselves
 * graph tensors (backward rules are written with tensor ops), so gradients of gradients work to
 * any order. In {@link Mode#DETACHED} mode no graph is built and every intermediate gradient
 * buffer goes back to the pool as soon as it has been used: the memory-saving path for
 * first-order and test-time steps.
 *
 * <p>Sign convention: the returned tensors are d loss / d wrt (ascent direction).
 */
public final class Autodiff {
    /** Whether the gradient is a differentiable graph or plain values. */
    public enum Mode {
        DETACHED,
        DIFFERENTIABLE
    }

    private static final ThreadLocal<int[]> NO_GRAD = ThreadLocal.withInitial(() -> new int[1]);

    private Autodiff() {}

    /** True unless inside {@link #noGrad}: operations record graph nodes. */
    public static boolean recording() {
        return NO_GRAD.get()[0] == 0;
    }

    /** Runs body without recording a graph (like torch.no_grad()). */
    public static <T> T noGrad(Supplier<T> body) {
        int[] depth = NO_GRAD.get();
        depth[0]++;
        try {
            return body.get();
        } finally {
            depth[0]--;
        }
    }

    public static Tensor grad(Tensor loss, Tensor wrt, Mode mode) {
        return grad(loss, List.of(wrt), mode).get(0);
    }

    /**
     * Gradients of a scalar loss with respect to each tensor of wrt (zeros for a tensor the loss
     * does not depend on). Only paths from wrt to the loss are differentiated; the traversal
     * stops at wrt tensors.
     */
    public static List<Tensor> grad(Tensor loss, List<Tensor> wrt, Mode mode) {
        if (loss.size() != 1) {
            throw new IllegalArgumentException("grad needs a scalar loss, got shape " + loss.shape()
                    + "; reduce it first, e.g. loss.sum() or loss.mean()");
        }
        if (!loss.requiresGrad() && !recording()) {
            throw new IllegalStateException("grad called inside Autodiff.noGrad on a loss that has no graph;"
                    + " compute the loss outside noGrad");
        }
        Set<Tensor> targets = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor w : wrt) {
            if (!w.requiresGrad()) {
                throw new IllegalArgumentException("grad: a wrt tensor of shape " + w.shape()
                        + " is not part of a graph; make it a leaf with .param() before computing the loss");
            }
            targets.add(w);
        }
        List<Tensor> order = relevantTopoOrder(loss, targets);
        if (mode == Mode.DIFFERENTIABLE) {
            return backward(loss, wrt, targets, order);
        }
        int[] depth = NO_GRAD.get();
        depth[0]++;
        try (Memory.Scope scope = Memory.scope()) {
            List<Tensor> out = backwardDetached(loss, wrt, targets, order);
            for (Tensor t : out) {
                scope.keep(t);
            }
            return out;
        } finally {
            depth[0]--;
        }
    }

    /** Nodes on a path from some target to the loss, inputs before outputs (post-order). */
    private static List<Tensor> relevantTopoOrder(Tensor loss, Set<Tensor> targets) {
        Map<Tensor, Boolean> relevant = new IdentityHashMap<>();
        List<Tensor> order = new ArrayList<>();
        if (!loss.requiresGrad()) {
            return order;
        }
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        stack.push(new Object[] {loss, 0});
        visited.put(loss, true);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.op() == null || targets.contains(t) ? new Tensor[0] : t.op().inputs();
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor c = inputs[next];
                if (c != null && c.requiresGrad() && visited.put(c, true) == null) {
                    stack.push(new Object[] {c, 0});
                }
                continue;
            }
            stack.pop();
            boolean rel = targets.contains(t);
            for (Tensor c : inputs) {
                rel |= c != null && relevant.getOrDefault(c, false);
            }
            relevant.put(t, rel);
            if (rel) {
                order.add(t);
            }
        }
        return order;
    }

    /** The differentiable backward: every rule's gradients are graph tensors, summed eagerly. */
    private static List<Tensor> backward(Tensor loss, List<Tensor> wrt, Set<Tensor> targets,
            List<Tensor> order) {
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        Map<Tensor, Tensor> results = new IdentityHashMap<>();
        Map<Tensor, Storage.Remat> recomputable = new IdentityHashMap<>();
        if (!order.isEmpty()) {
            grads.put(loss, Tensor.full(loss.dtype(), 1.0, loss.shape().dims()));
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            Tensor g = grads.remove(t);
            if (g == null) {
                continue;
            }
            if (targets.contains(t)) {
                results.put(t, g);
                continue;
            }
            if (t.op() == null) {
                continue;
            }
            Tensor[] inputs = t.op().inputs();
            Tensor[] ig = t.op().backward(t, g);
            assert ig.length == inputs.length : t.op().name() + " returned " + ig.length + " gradients";
            for (int j = 0; j < inputs.length; j++) {
                Tensor p = inputs[j];
                Tensor gp = ig[j];
                if (gp == null || p == null || !p.requiresGrad()) {
                    continue;
                }
                assert gp.shape().equals(p.shape())
                        : t.op().name() + " gave gradient " + gp.shape() + " for input " + p.shape();
                Storage.Remat remat = gp.op() == null ? null : gp.op().remat();
                if (remat != null) {
                    recomputable.put(gp, remat);
                }
                Tensor old = grads.get(p);
                grads.put(p, old == null ? gp : old.add(gp));
            }
        }
        evict(recomputable, results);
        return collect(wrt, results);
    }

    /**
     * Drops the arrays of the cheap intermediates this backward made (such as sin'(z) g, an
     * elementwise pass over tensors the graph keeps anyway): nothing of this backward reads them
     * any more, so a graph kept for a later backward holds one [n, width] tensor less per SIREN
     * layer, and that backward recomputes each when it reads it (Storage.Remat). Returned
     * gradients stay.
     */
    private static void evict(Map<Tensor, Storage.Remat> made, Map<Tensor, Tensor> results) {
        Set<Tensor> returned = Collections.newSetFromMap(new IdentityHashMap<>());
        returned.addAll(results.values());
        made.forEach((t, remat) -> {
            if (!returned.contains(t)) {
                Eviction.setRecomputable(t.storage(), remat);
                Eviction.evict(t.storage());
            }
        });
    }

    /** Each wrt tensor's gradient, zeros where the loss does not depend on it. */
    private static List<Tensor> collect(List<Tensor> wrt, Map<Tensor, Tensor> results) {
        List<Tensor> out = new ArrayList<>(wrt.size());
        for (Tensor w : wrt) {
            Tensor g = results.get(w);
            out.add(g != null ? g : Tensor.zeros(w.dtype(), w.shape().dims()));
        }
        return out;
    }

    /**
     * The detached backward: each tensor's gradient is kept as a list of contributions
     * ({@link GradTerms}) and summed in one fused pass when the tensor's turn comes; tensors a term
     * reads stay referenced until then.
     */
    private static List<Tensor> backwardDetached(Tensor loss, List<Tensor> wrt, Set<Tensor> targets,
            List<Tensor> order) {
        Map<Tensor, List<GradTerms.Term>> pending = new IdentityHashMap<>();
        Map<Tensor, Tensor> results = new IdentityHashMap<>();
        Refs refs = new Refs();
        if (!order.isEmpty()) {
            Tensor one = Tensor.full(loss.dtype(), 1.0, loss.shape().dims());
            pending.put(loss, new ArrayList<>(List.of(new GradTerms.Dense(one))));
            refs.add(one);
        }
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            List<GradTerms.Term> terms = pending.remove(t);
            if (terms == null) {
                continue;
            }
            Tensor g = GradTerms.sum(terms, t.shape(), t.dtype());
            refs.add(g);
            for (GradTerms.Term term : terms) {
                for (Tensor r : term.reads()) {
                    refs.drop(r);
                }
            }
            if (targets.contains(t)) {
                results.put(t, g);
                refs.add(g); // never dropped: it is returned
            }
            if (t.op() != null && !targets.contains(t)) {
                Tensor[] inputs = t.op().inputs();
                GradTerms.Term[] it;
                try (Memory.Scope rule = Memory.scope()) {
                    it = t.op().detachedTerms(t, g);
                    if (it == null) {
                        Tensor[] ig = t.op().backward(t, g);
                        it = new GradTerms.Term[ig.length];
                        for (int j = 0; j < ig.length; j++) {
                            it[j] = ig[j] == null ? null : new GradTerms.Dense(ig[j]);
                        }
                    }
                    assert it.length == inputs.length : t.op().name() + " returned " + it.length + " gradients";
                    for (GradTerms.Term term : it) {
                        if (term != null) {
                            rule.keep(term.reads());
                        }
                    }
                }
                for (int j = 0; j < inputs.length; j++) {
                    Tensor p = inputs[j];
                    GradTerms.Term term = it[j];
                    if (term == null || p == null || !p.requiresGrad()) {
                        continue;
                    }
                    assert !(term instanceof GradTerms.Dense d) || d.t().shape().equals(p.shape())
                            : t.op().name() + " gave gradient " + ((GradTerms.Dense) term).t().shape()
                                    + " for input " + p.shape();
                    pending.computeIfAbsent(p, k -> new ArrayList<>(3)).add(term);
                    for (Tensor r : term.reads()) {
                        refs.add(r);
                    }
                }
                for (GradTerms.Term term : it) {
                    if (term instanceof GradTerms.Dense d) {
                        refs.dropIfUnreferenced(d.t());
                    }
                }
            }
            refs.drop(g);
        }
        return collect(wrt, results);
    }

    /** Reference counts of gradient buffers, so the detached backward frees them as it goes. */
    private static final class Refs {
        private final Map<Storage, Integer> count = new IdentityHashMap<>();
        private final Memory.Scope owner = Memory.currentScope();

        void add(Tensor t) {
            count.merge(t.storage(), 1, Integer::sum);
        }

        void drop(Tensor t) {
            Storage s = t.storage();
            int c = count.getOrDefault(s, 0) - 1;
            if (c > 0) {
                count.put(s, c);
                return;
            }
            count.remove(s);
            if (s.scope == owner) {
                Memory.release(s);
            } else {
                Eviction.evict(s); // a recomputed graph intermediate no pending term reads (else a no-op)
            }
        }

        void dropIfUnreferenced(Tensor t) {
            if (!count.containsKey(t.storage()) && t.storage().scope == owner) {
                Memory.release(t.storage());
            }
        }
    }
}
