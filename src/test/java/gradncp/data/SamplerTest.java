package gradncp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig.Sampling;
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
    void iidBatchesAreDistinctUniformAndIndependent() {
        int n = 10, b = 4, steps = 20_000;
        Sampler s = new Sampler(Sampling.IID, n, 5, 0);
        int[] count = new int[n];
        double overlap = 0;
        int[] prev = null;
        for (int t = 0; t < steps; t++) {
            int[] batch = s.next(b);
            assertEquals(b, Arrays.stream(batch).distinct().count(), "distinct within a batch");
            for (int i : batch) count[i]++;
            if (prev != null) {
                for (int i : batch) overlap += Arrays.stream(prev).filter(j -> j == i).count();
            }
            prev = batch;
        }
        for (int c : count) {
            assertEquals(steps * b / (double) n, c, 0.05 * steps * b / n, Arrays.toString(count));
        }
        // Independent batches share b*b/n = 1.6 signals on average; epoch order shares none within an epoch.
        assertEquals(1.6, overlap / (steps - 1), 0.05);
        assertEquals(steps * (long) b, s.position());
    }

    @Test
    void iidResumesFromPositionAndDiffersFromEpochOrder() {
        Sampler full = new Sampler(Sampling.IID, 9, 3, 0);
        List<int[]> batches = new ArrayList<>();
        for (int i = 0; i < 6; i++) batches.add(full.next(4));
        Sampler first = new Sampler(Sampling.IID, 9, 3, 0);
        first.next(4);
        first.next(4);
        Sampler resumed = new Sampler(Sampling.IID, 9, 3, first.position());
        for (int i = 2; i < 6; i++) assertArrayEquals(batches.get(i), resumed.next(4));
        assertFalse(Arrays.equals(new Sampler(Sampling.IID, 50, 7, 0).next(50), new Sampler(50, 7).next(50)));
        assertFalse(Arrays.equals(new Sampler(Sampling.IID, 50, 7, 0).next(8),
                new Sampler(Sampling.IID, 50, 8, 0).next(8)));
        var e = assertThrows(IllegalArgumentException.class, () -> new Sampler(Sampling.IID, 3, 1, 0).next(4));
        assertTrue(e.getMessage().contains("metaBatch 4 is larger than the 3 training signals"), e.getMessage());
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
