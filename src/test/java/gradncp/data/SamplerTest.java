package gradncp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class SamplerTest {
    @Test
    void everyEpochIsAPermutationAndEpochsDiffer() {
        Sampler s = new Sampler(10, 0);
        int[] e0 = s.next(10), e1 = s.next(10);
        int[] sorted = e0.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        assertEquals(10, new HashSet<>(Arrays.stream(e1).boxed().toList()).size());
        assertFalse(Arrays.equals(e0, e1), "epochs must be reshuffled");
        assertEquals(2, s.epoch());
    }

    @Test
    void sameSeedSameStreamDifferentSeedDifferent() {
        assertArrayEquals(new Sampler(50, 7).next(120), new Sampler(50, 7).next(120));
        assertFalse(Arrays.equals(new Sampler(50, 7).next(50), new Sampler(50, 8).next(50)));
    }

    @Test
    void resumingFromPositionContinuesTheStream() {
        Sampler full = new Sampler(7, 3);
        List<int[]> batches = new ArrayList<>();
        for (int i = 0; i < 6; i++) batches.add(full.next(3)); // crosses epoch boundaries
        Sampler first = new Sampler(7, 3);
        first.next(3);
        first.next(3);
        Sampler resumed = new Sampler(7, 3, first.position());
        assertEquals(6, resumed.position());
        for (int i = 2; i < 6; i++) assertArrayEquals(batches.get(i), resumed.next(3));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Sampler(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new Sampler(3, 1, -1));
        var e = assertThrows(IllegalArgumentException.class, () -> new Sampler(3, 1).next(0));
        assertTrue(e.getMessage().contains("batch must be >= 1"));
    }

    @Test
    void splitIsDisjointSeededAndOrdered() {
        float[][] imgs = new float[10][];
        var names = new ArrayList<String>();
        for (int i = 0; i < 10; i++) {
            imgs[i] = new float[] {i};
            names.add("img" + i);
        }
        ImageSet all = new ImageSet(imgs, 1, 1, names);
        Split a = Split.of(all, 3, 42), b = Split.of(all, 3, 42);
        assertEquals(a.test().names(), b.test().names());
        assertEquals(3, a.test().size());
        assertEquals(7, a.train().size());
        var union = new HashSet<>(a.train().names());
        union.addAll(a.test().names());
        assertEquals(10, union.size());
        assertThrows(IllegalArgumentException.class, () -> Split.of(all, 10, 0));
    }
}
