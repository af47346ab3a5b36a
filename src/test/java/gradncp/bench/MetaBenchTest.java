package gradncp.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MetaBenchTest {
    @Test
    void medianIsTheStandardOneLikeTheReferences() {
        // the reference reports Python's statistics.median: the mean of the middle two for even counts
        assertEquals(5.0, MetaBench.median(new double[] {4, 6}));
        assertEquals(6.0, MetaBench.median(new double[] {1, 6, 9}));
        assertEquals(2.5, MetaBench.median(new double[] {1, 2, 3, 100}));
        assertThrows(IllegalArgumentException.class, () -> MetaBench.median(new double[0]));
    }
}
