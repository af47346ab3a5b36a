package gradncp.tensor;

import gradncp.tensor.kernel.Parallel;
import java.util.ArrayList;

/**
 * Where tensor storage comes from and when it goes: scopes that release what they allocated,
 * and sessions (scopes with {@link MemoryOptions}: a budget, dry run) opened by the caller.
 *
 * <p>Every allocation goes through here: its array comes from the {@link BufferPool} (or, in a
 * dry run, from the session's shared {@link DryArrays}), its bytes are counted in
 * {@link Accounting} and in the scopes around it, and it is released when its scope closes.
 *
 * <p>Scopes and sessions are per thread and nest; a scope or session inherits the dry run and
 * budgets of the session around it. Graph building runs on the thread that opened them; the
 * kernels that helper threads run ({@link Parallel}) never allocate (asserted), and whether to
 * compute is a property of the output storage they are handed, so no thread reads another's
 * options.
 */
public final class Memory {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();
    /**
     * Guards the counts in {@link Accounting} and the arrays in {@link BufferPool} together, so an
     * allocation or a release takes one lock.
     */
    static final Object LOCK = new Object();

    private Memory() {}

    /** Opens a scope: storage allocated until it closes is released then, unless kept. */
    public static Scope scope() {
        return open(new Scope(CURRENT.get(), MemoryOptions.UNLIMITED, false));
    }

    /**
     * Opens a session: a scope with a budget and dry-run flag, for this thread until it closes,
     * e.g. {@code try (Memory.Scope s = Memory.session(MemoryOptions.dryRun(bytes))) {...}}.
     * Scopes and sessions opened inside inherit both; a nested session adds its own budget (each
     * caps the bytes allocated inside it), and inside a dry run stays a dry run (its inputs hold no
     * values to compute on).
     */
    public static Scope session(MemoryOptions options) {
        return open(new Scope(CURRENT.get(), options.budget(), options.dry()));
    }

    private static Scope open(Scope s) {
        assert !Parallel.onHelperThread() : "a memory scope opened on a helper thread";
        CURRENT.set(s);
        return s;
    }

    /** Bytes of tensor storage alive now in the JVM (all threads, all scopes). */
    public static long liveBytes() {
        synchronized (LOCK) {
            return Accounting.live();
        }
    }

    /** Highest {@link #liveBytes()} since the last {@link #resetPeak()}. */
    public static long peakBytes() {
        synchronized (LOCK) {
            return Accounting.peak();
        }
    }

    /** Sets the peak to the bytes alive now. */
    public static void resetPeak() {
        synchronized (LOCK) {
            Accounting.resetPeak();
        }
    }

    /** Drops all pooled buffers (for memory measurements and tests). */
    public static void clearPool() {
        synchronized (LOCK) {
            BufferPool.clear();
        }
    }

    /** Thrown when an allocation would exceed the budget of a session around it. */
    public static final class OutOfBudget extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfBudget(String message) {
            super(message);
        }
    }

    static Scope currentScope() {
        return CURRENT.get();
    }

    /** New storage in the current scope (throws over budget before touching memory). */
    static Storage allocate(DType dtype, int length, boolean zero) {
        assert !Parallel.onHelperThread() : "a kernel allocated on a helper thread, outside the caller's session";
        long bytes = (long) length * dtype.bytes();
        Scope scope = CURRENT.get();
        DryArrays dry = null;
        if (scope != null) {
            scope.checkBudget(bytes);
            dry = scope.dry;
        }
        Object array;
        synchronized (LOCK) {
            Accounting.add(bytes);
            array = dry == null ? BufferPool.poll(dtype, length) : null;
        }
        array = dry == null ? BufferPool.prepare(array, dtype, length, zero) : dry.array(dtype, length);
        Storage s = new Storage(dtype, length, array, new Accounting.Account(bytes), dry);
        if (scope != null) {
            scope.adopt(s);
            scope.count(bytes);
        } else {
            Accounting.uncountWhenCollected(s);
        }
        return s;
    }

    /** Returns the storage's array to the pool; later access to it throws. */
    static void release(Storage s) {
        Object array;
        synchronized (s) {
            s.remat = null;
            if (s.isReleased()) {
                return;
            }
            array = s.take();
        }
        giveBack(s, array);
    }

    /** Uncounts a storage whose array was just taken from it, and pools the array (not a dry alias). */
    static void giveBack(Storage s, Object array) {
        synchronized (LOCK) {
            Accounting.uncount(s);
            if (!s.isDry()) {
                BufferPool.put(array, s.account.bytes);
            }
        }
    }

    /**
     * A region whose storage is released when it closes. {@link #keep} hands tensors to the
     * enclosing scope (or, at the outermost level, to the garbage collector).
     */
    public static final class Scope implements AutoCloseable {
        private final Scope parent;
        /** Bytes this scope may hold at once; {@link MemoryOptions#UNLIMITED} for a plain scope. */
        private final long budget;
        /** This scope or one around it has a budget (else allocation skips the check). */
        private final boolean budgeted;
        /** Non-null in a dry run: the arrays its storages alias. */
        final DryArrays dry;
        private ArrayList<Storage> owned = new ArrayList<>();
        private boolean closed;
        /** Bytes alive now that were allocated in this scope or a nested one (and not handed out). */
        private long live;
        private long peak;

        private Scope(Scope parent, long budget, boolean dryRun) {
            this.parent = parent;
            this.budget = budget;
            this.budgeted = budget != MemoryOptions.UNLIMITED || (parent != null && parent.budgeted);
            DryArrays inherited = parent == null ? null : parent.dry;
            this.dry = inherited == null && dryRun ? new DryArrays() : inherited;
        }

        void adopt(Storage s) {
            s.scope = this;
            owned.add(s);
        }

        /** Throws if bytes more would exceed the budget of this scope or one around it. */
        void checkBudget(long bytes) {
            if (!budgeted) {
                return;
            }
            for (Scope sc = this; sc != null; sc = sc.parent) {
                if (sc.live + bytes > sc.budget) {
                    throw new OutOfBudget("memory session budget of " + sc.budget + " bytes exceeded: "
                            + sc.live + " bytes alive in the session, " + bytes + " more requested");
                }
            }
        }

        /** Counts an allocation here and in every enclosing scope. */
        void count(long bytes) {
            for (Scope sc = this; sc != null; sc = sc.parent) {
                sc.live += bytes;
                sc.peak = Math.max(sc.peak, sc.live);
            }
        }

        /** Exact peak of the bytes this scope's own work held, unaffected by unrelated garbage. */
        public long peakBytes() {
            return peak;
        }

        public long liveBytes() {
            return live;
        }

        /** Moves the tensors' storage to the enclosing scope; returns the first for chaining. */
        public Tensor keep(Tensor... tensors) {
            for (Tensor t : tensors) {
                moveUp(t.storage());
            }
            return tensors.length == 0 ? null : tensors[0];
        }

        /** Keeps every tensor of the list. */
        public <T extends Iterable<Tensor>> T keepAll(T tensors) {
            for (Tensor t : tensors) {
                moveUp(t.storage());
            }
            return tensors;
        }

        private void moveUp(Storage s) {
            if (s.scope != this) {
                return; // allocated elsewhere (an outer scope or unscoped): not ours to hand on
            }
            if (!s.isReleased() && s.account.counted) {
                live -= s.bytes(); // the parent already counts it
            }
            if (parent != null) {
                parent.adopt(s);
            } else {
                s.scope = null;
                Accounting.uncountWhenCollected(s);
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (CURRENT.get() != this) {
                throw new IllegalStateException("Memory scopes must close in reverse order of opening");
            }
            CURRENT.set(parent);
            for (Storage s : owned) {
                if (s.scope == this) {
                    release(s);
                }
            }
            owned = null;
        }
    }
}
