package gradncp.tensor;

/** Element type of a tensor: float32 for training, float64 for gradient checks. */
public enum DType {
    F32(4),
    F64(8);

    private final int bytes;

    DType(int bytes) {
        this.bytes = bytes;
    }

    public int bytes() {
        return bytes;
    }
}
