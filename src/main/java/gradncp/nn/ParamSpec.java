package gradncp.nn;

/** Name and shape of one shared parameter tensor (per-signal copies add a leading batch axis). */
public record ParamSpec(String name, int[] shape) {
    /** Number of scalars. */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
