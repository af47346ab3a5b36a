package gradncp.data;

/** A test-only class in the data layer that uses the meta layer: the wrong-way import LayeringTest must catch. */
public final class LayeringFixture {
    private LayeringFixture() {}

    public static Object wrongWay() {
        return gradncp.meta.InnerLoop.class;
    }
}
