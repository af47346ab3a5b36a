package gradncp.tensor;

/**
 * The arrays every storage of a dry-run session aliases (its values are garbage anyway): one per
 * dtype, grown to the largest request, so a dry run touches no more memory than its largest
 * tensor. Shared by the nested scopes of the session and dropped with its storages.
 */
final class DryArrays {
    private float[] floats = new float[0];
    private double[] doubles = new double[0];

    /** An array of at least length elements (longer arrays are never pooled: see BufferPool). */
    synchronized Object array(DType dtype, int length) {
        if (dtype == DType.F32) {
            if (floats.length < length) {
                floats = new float[length];
            }
            return floats;
        }
        if (doubles.length < length) {
            doubles = new double[length];
        }
        return doubles;
    }
}
