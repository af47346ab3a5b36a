package gradncp.tensor;

/**
 * The backing array of one or more tensors (views such as reshape share it). Handed out and
 * taken back by {@link Memory}; a released storage throws on access, so a tensor that outlived
 * its scope fails loudly instead of reading a reused buffer. A dry-run storage aliases its
 * session's shared array: ops skip computing into it ({@link #isDry}).
 */
final class Storage {
    final DType dtype;
    final int length;
    private float[] f;
    private double[] d;
    /** The scope that releases this storage when it closes; null for unscoped storage. */
    Memory.Scope scope;
    /** Shared with the GC cleaner of unscoped storage, so it is counted down exactly once. */
    final Accounting.Account account;
    /** The dry-run session's shared arrays this storage aliases; null for real storage. */
    final DryArrays dry;
    /**
     * Non-null while the values can be recomputed from tensors the graph keeps anyway: then
     * {@link Eviction#evict} may drop the array, and the next access refills a pooled one.
     */
    volatile Remat remat;

    /** Writes this storage's values into a fresh array (float[] or double[] of its length). */
    interface Remat {
        void fill(Object array);
    }

    Storage(DType dtype, int length, Object array, Accounting.Account account, DryArrays dry) {
        this.dtype = dtype;
        this.length = length;
        this.account = account;
        this.dry = dry;
        put(array);
    }

    /** True in a dry run: the values are garbage and ops writing here compute nothing. */
    boolean isDry() {
        return dry != null;
    }

    long bytes() {
        return (long) length * dtype.bytes();
    }

    float[] f() {
        float[] a = f;
        if (a == null) {
            materialize();
            return f;
        }
        return a;
    }

    double[] d() {
        double[] a = d;
        if (a == null) {
            materialize();
            return d;
        }
        return a;
    }

    /** True when the storage holds no array: released, or evicted (see {@link #isEvicted}). */
    boolean isReleased() {
        return f == null && d == null;
    }

    /** Evicted: no array now, but the next access recomputes the values. */
    boolean isEvicted() {
        return isReleased() && remat != null;
    }

    /** Refills an evicted storage (a no-op when it holds its array); throws when released. */
    synchronized void materialize() {
        if (!isReleased()) {
            return;
        }
        if (remat == null) {
            throw released();
        }
        Eviction.rematerialize(this);
    }

    /** Gives an evicted storage its new array (before the values are filled in). */
    void put(Object array) {
        if (dtype == DType.F32) {
            f = (float[]) array;
        } else {
            d = (double[]) array;
        }
    }

    /** Detaches the arrays for return to the pool. */
    Object take() {
        Object a = dtype == DType.F32 ? f : d;
        f = null;
        d = null;
        return a;
    }

    private IllegalStateException released() {
        return new IllegalStateException("tensor storage was released (its Memory.scope closed); "
                + "keep the tensor with scope.keep(t) to use it after the scope");
    }
}
