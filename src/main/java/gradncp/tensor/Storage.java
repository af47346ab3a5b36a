package gradncp.tensor;

/**
 * The backing array of one or more tensors (views such as reshape share it). Handed out and
 * taken back by {@link Memory}; a released storage throws on access, so a tensor that outlived
 * its scope fails loudly instead of reading a reused buffer.
 */
final class Storage {
    final DType dtype;
    final int length;
    private float[] f;
    private double[] d;
    /** The scope that releases this storage when it closes; null for unscoped storage. */
    Memory.Scope scope;
    /** Shared with the GC cleaner of unscoped storage, so it is counted down exactly once. */
    final Memory.Account account;

    Storage(DType dtype, int length, float[] f, double[] d, Memory.Account account) {
        this.dtype = dtype;
        this.length = length;
        this.f = f;
        this.d = d;
        this.account = account;
    }

    long bytes() {
        return (long) length * dtype.bytes();
    }

    float[] f() {
        if (f == null) {
            throw released();
        }
        return f;
    }

    double[] d() {
        if (d == null) {
            throw released();
        }
        return d;
    }

    boolean isReleased() {
        return f == null && d == null;
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
