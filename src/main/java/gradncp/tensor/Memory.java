package gradncp.tensor;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;

/**
 * Tensor storage: a reusing pool plus exact accounting of the bytes alive.
 *
 * <p>Allocation goes through here so that (1) buffers are reused instead of freshly touched
 * (this VM pays about 110 ms per 32 MiB of new memory) and (2) the engine knows the bytes of
 * tensor storage alive now and the peak since {@link #resetPeak()}. A storage is alive from its
 * allocation until it is released: when the {@link Scope} that allocated it closes (exact), by
 * {@link Tensor#release()} (exact), or, for storage made outside every scope, when the garbage
 * collector reclaims it (then "alive" means "not yet collected").
 *
 * <p>Scopes are per thread and nest. Graph building runs on one thread; kernels never allocate.
 */
public final class Memory {
    /** Bytes of one storage, counted down once. */
    static final class Account {
        final long bytes;
        boolean counted = true;

        Account(long bytes) {
            this.bytes = bytes;
        }
    }

    private static final Cleaner CLEANER = Cleaner.create();
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();
    private static final Map<Integer, ArrayDeque<float[]>> FLOATS = new HashMap<>();
    private static final Map<Integer, ArrayDeque<double[]>> DOUBLES = new HashMap<>();
    private static long live;
    private static long peak;
    private static long pooled;
    private static long allocatedFresh;
    private static long budget = Long.MAX_VALUE;
    private static volatile boolean dryRun;
    /** In dry-run mode every storage aliases one of these (values are garbage anyway). */
    private static float[] dryFloats = new float[0];
    private static double[] dryDoubles = new double[0];
    private static long matmulFlops;
    private static final long POOL_LIMIT = Long.getLong("gradncp.poolBytes",
            Runtime.getRuntime().maxMemory() / 2);

    private Memory() {}

    /** Bytes of tensor storage alive now. */
    public static synchronized long liveBytes() {
        return live;
    }

    /** Highest {@link #liveBytes()} since the last {@link #resetPeak()}. */
    public static synchronized long peakBytes() {
        return peak;
    }

    /** Sets the peak to the bytes alive now. */
    public static synchronized void resetPeak() {
        peak = live;
    }

    /** Bytes held by the pool for reuse (not alive, not counted in {@link #liveBytes()}). */
    public static synchronized long pooledBytes() {
        return pooled;
    }

    /** Bytes ever obtained from the JVM (not from the pool): the page-fault cost driver. */
    public static synchronized long freshBytes() {
        return allocatedFresh;
    }

    /** Drops all pooled buffers (for memory measurements and tests). */
    public static synchronized void clearPool() {
        FLOATS.clear();
        DOUBLES.clear();
        pooled = 0;
    }

    /**
     * Caps the bytes alive: an allocation that would exceed it throws {@link OutOfBudget}
     * (before touching memory), so a too-large configuration is reported, not a JVM crash.
     */
    public static synchronized void setBudget(long bytes) {
        budget = bytes <= 0 ? Long.MAX_VALUE : bytes;
    }

    public static synchronized long budget() {
        return budget;
    }

    /**
     * Dry-run mode: every allocation happens and is accounted exactly, but no kernel computes
     * (values are garbage). The peak memory of a configuration can then be measured in
     * seconds at any size, since shapes never depend on values.
     */
    public static synchronized void setDryRun(boolean on) {
        dryRun = on;
        if (!on) {
            dryFloats = new float[0];
            dryDoubles = new double[0];
        }
    }

    public static boolean dryRun() {
        return dryRun;
    }

    /** Matrix-product FLOPs (2 m n k per product) executed since the last reset. */
    public static synchronized long matmulFlops() {
        return matmulFlops;
    }

    public static synchronized void resetMatmulFlops() {
        matmulFlops = 0;
    }

    static synchronized void countMatmul(long flops) {
        matmulFlops += flops;
    }

    /** Thrown when an allocation would exceed the budget set with {@link #setBudget}. */
    public static final class OutOfBudget extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutOfBudget(String message) {
            super(message);
        }
    }

    private static int lengthOf(Object array) {
        return array instanceof float[] f ? f.length : ((double[]) array).length;
    }

    /** Opens a scope: storage allocated until it closes is released then, unless kept. */
    public static Scope scope() {
        Scope s = new Scope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    static Scope currentScope() {
        return CURRENT.get();
    }

    static Storage allocate(DType dtype, int length, boolean zero) {
        Object array = obtain(dtype, length, zero);
        long bytes = (long) length * dtype.bytes();
        Account account = new Account(bytes);
        Storage s = dtype == DType.F32
                ? new Storage(dtype, length, (float[]) array, null, account)
                : new Storage(dtype, length, null, (double[]) array, account);
        Scope scope = CURRENT.get();
        if (scope != null) {
            scope.adopt(s);
            scope.count(bytes);
        } else {
            registerCleaner(s);
        }
        return s;
    }

    /** An array from the pool or fresh, counted as alive (throws over budget before touching it). */
    private static Object obtain(DType dtype, int length, boolean zero) {
        long bytes = (long) length * dtype.bytes();
        Object array;
        synchronized (Memory.class) {
            if (live + bytes > budget) {
                throw new OutOfBudget("tensor memory budget of " + budget + " bytes exceeded: " + live
                        + " bytes alive, " + bytes + " more requested");
            }
            live += bytes;
            peak = Math.max(peak, live);
            if (dryRun) {
                array = dryArray(dtype, length);
            } else {
                array = takePooled(dtype, length);
                if (array != null) {
                    pooled -= bytes;
                } else {
                    allocatedFresh += bytes;
                }
            }
        }
        if (array == null) {
            array = dtype == DType.F32 ? new float[length] : new double[length];
        } else if (zero && !dryRun) {
            if (array instanceof float[] fa) {
                java.util.Arrays.fill(fa, 0f);
            } else {
                java.util.Arrays.fill((double[]) array, 0d);
            }
        }
        return array;
    }

    /**
     * Marks a storage as recomputable: {@link #evict} may then drop its array, and the next
     * access refills it with remat (counted as an allocation at that moment, in the storage's
     * own scope). The inputs remat reads must stay alive as long as the storage does.
     */
    static void setRecomputable(Storage s, Storage.Remat remat) {
        s.remat = remat;
    }

    /**
     * Returns a recomputable storage's array to the pool now; the values come back, recomputed,
     * on the next access. A no-op for storage that is not recomputable or holds no array.
     */
    static void evict(Storage s) {
        synchronized (s) {
            if (s.remat == null || s.isReleased()) {
                return;
            }
            Object array = s.take();
            synchronized (Memory.class) {
                uncount(s);
                pool(s, array);
            }
        }
    }

    /** Called by {@link Storage#materialize} (holding the storage's lock) for an evicted storage. */
    static void rematerialize(Storage s) {
        Object array = obtain(s.dtype, s.length, false);
        synchronized (Memory.class) {
            s.account.counted = true;
            if (s.scope != null) {
                s.scope.count(s.account.bytes);
            }
        }
        if (!dryRun) {
            s.remat.fill(array);
        }
        s.put(array);
    }

    /** Wraps a caller's array as tensor storage (counted as alive, never pooled twice). */
    static Storage wrap(float[] f, double[] d) {
        DType dtype = f != null ? DType.F32 : DType.F64;
        int length = f != null ? f.length : d.length;
        Account account = new Account((long) length * dtype.bytes());
        synchronized (Memory.class) {
            live += account.bytes;
            peak = Math.max(peak, live);
        }
        Storage s = new Storage(dtype, length, f, d, account);
        registerCleaner(s);
        return s;
    }

    private static void registerCleaner(Storage s) {
        Account a = s.account;
        CLEANER.register(s, () -> countDown(a));
    }

    private static void countDown(Account a) {
        synchronized (Memory.class) {
            if (a.counted) {
                a.counted = false;
                live -= a.bytes;
            }
        }
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
        synchronized (Memory.class) {
            uncount(s);
            pool(s, array);
        }
    }

    /** Counts a storage's bytes as no longer alive (once). Caller holds the Memory lock. */
    private static void uncount(Storage s) {
        if (s.account.counted) {
            s.account.counted = false;
            live -= s.account.bytes;
            if (s.scope != null) {
                s.scope.count(-s.account.bytes);
            }
        }
    }

    /** Puts an array taken from s back into the pool (not the shared dry-run array). Memory lock held. */
    private static void pool(Storage s, Object array) {
        boolean alias = array == dryFloats || array == dryDoubles || s.length != lengthOf(array);
        if (!alias && pooled + s.account.bytes <= POOL_LIMIT) {
            pooled += s.account.bytes;
            if (array instanceof float[] fa) {
                FLOATS.computeIfAbsent(fa.length, k -> new ArrayDeque<>()).push(fa);
            } else {
                double[] da = (double[]) array;
                DOUBLES.computeIfAbsent(da.length, k -> new ArrayDeque<>()).push(da);
            }
        }
    }

    private static Object dryArray(DType dtype, int length) {
        if (dtype == DType.F32) {
            if (dryFloats.length < length) {
                dryFloats = new float[length];
            }
            return dryFloats;
        }
        if (dryDoubles.length < length) {
            dryDoubles = new double[length];
        }
        return dryDoubles;
    }

    private static Object takePooled(DType dtype, int length) {
        ArrayDeque<?> q = dtype == DType.F32 ? FLOATS.get(length) : DOUBLES.get(length);
        return q == null ? null : q.poll();
    }

    /**
     * A region whose storage is released when it closes. {@link #keep} hands tensors to the
     * enclosing scope (or, at the outermost level, to the garbage collector).
     */
    public static final class Scope implements AutoCloseable {
        private final Scope parent;
        private ArrayList<Storage> owned = new ArrayList<>();
        private boolean closed;

        private Scope(Scope parent) {
            this.parent = parent;
        }

        /** Bytes alive now that were allocated in this scope or a nested one (and not handed out). */
        private long live;
        private long peak;

        void adopt(Storage s) {
            s.scope = this;
            owned.add(s);
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
                registerCleaner(s);
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
