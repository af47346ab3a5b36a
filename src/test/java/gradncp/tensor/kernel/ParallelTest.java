package gradncp.tensor.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** The caller-plus-helpers range loop: coverage, piece boundaries, failures, nesting, concurrency. */
class ParallelTest {
    /** Runs a loop over [0, n) and counts how often each item was visited. */
    private static int[] visits(int n, int grain) {
        AtomicIntegerArray seen = new AtomicIntegerArray(n);
        Parallel.forRange(n, grain, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                seen.incrementAndGet(i);
            }
        });
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = seen.get(i);
        }
        return out;
    }

    @Test
    void everyItemIsVisitedExactlyOnceOverManyLoops() {
        // many short loops back to back: the helpers see, run and finish each one in turn
        for (int rep = 0; rep < 2000; rep++) {
            int n = 1 + rep % 97;
            int[] v = visits(n, 1 + rep % 5);
            int[] ones = new int[n];
            java.util.Arrays.fill(ones, 1);
            assertArrayEquals(ones, v, "loop " + rep + " over " + n + " items");
        }
    }

    @Test
    void aLoopReturnsOnlyWhenEveryPieceHasFinished() {
        // a piece on a helper thread takes 20x longer than on the caller, so the caller has
        // claimed everything well before a helper's piece ends; each piece sets its flag last
        int pieces = Parallel.pieces(1 << 20, 1);
        Thread caller = Thread.currentThread();
        for (int rep = 0; rep < 50; rep++) {
            AtomicIntegerArray done = new AtomicIntegerArray(pieces);
            Parallel.forEachPiece(pieces, pieces, (p, lo, hi) -> {
                long t0 = System.nanoTime();
                long ns = Thread.currentThread() == caller ? 50_000 : 1_000_000;
                while (System.nanoTime() - t0 < ns) {
                    Thread.onSpinWait();
                }
                done.set(p, 1);
            });
            for (int p = 0; p < pieces; p++) {
                assertEquals(1, done.get(p), "loop " + rep + " returned before piece " + p + " finished");
            }
        }
    }

    @Test
    void piecesHaveFixedBoundariesWhoeverRunsThem() {
        int n = 1000, pieces = Parallel.pieces(n, 7);
        int[] lo = new int[pieces], hi = new int[pieces];
        for (int rep = 0; rep < 3; rep++) {
            Parallel.forEachPiece(n, pieces, (p, a, b) -> {
                lo[p] = a;
                hi[p] = b;
            });
            assertEquals(0, lo[0]);
            assertEquals(n, hi[pieces - 1]);
            for (int p = 0; p < pieces; p++) {
                assertEquals((int) ((long) n * p / pieces), lo[p]);
                assertTrue(hi[p] > lo[p]);
                if (p > 0) {
                    assertEquals(hi[p - 1], lo[p]);
                }
            }
        }
    }

    @Test
    void aFailingPieceFailsTheLoopAndTheNextLoopStillRuns() {
        IllegalStateException boom = new IllegalStateException("boom");
        int pieces = Math.max(2, Parallel.pieces(64, 1));
        IllegalStateException thrown = assertThrows(IllegalStateException.class,
                () -> Parallel.forEachPiece(64, pieces, (p, lo, hi) -> {
                    if (p == pieces - 1) {
                        throw boom;
                    }
                }));
        assertSame(boom, thrown);
        assertEquals(64, java.util.Arrays.stream(visits(64, 1)).sum());
    }

    @Test
    void aNestedLoopRunsInlineAndCompletes() {
        AtomicInteger inner = new AtomicInteger();
        Parallel.forRange(16, 1, (lo, hi) -> {
            for (int i = lo; i < hi; i++) {
                Parallel.forRange(100, 1, (a, b) -> inner.addAndGet(b - a));
            }
        });
        assertEquals(16 * 100, inner.get());
    }

    @Test
    void loopsFromTwoCallingThreadsBothComplete() throws Exception {
        long[] sums = new long[2];
        Thread[] ts = new Thread[2];
        for (int t = 0; t < 2; t++) {
            int id = t;
            ts[t] = new Thread(() -> {
                for (int rep = 0; rep < 300; rep++) {
                    AtomicInteger s = new AtomicInteger();
                    Parallel.forRange(1000, 10, (lo, hi) -> {
                        int acc = 0;
                        for (int i = lo; i < hi; i++) {
                            acc += i;
                        }
                        s.addAndGet(acc);
                    });
                    sums[id] += s.get();
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join(60_000);
            assertFalse(t.isAlive(), "a calling thread did not finish");
        }
        assertEquals(300L * 999 * 1000 / 2, sums[0]);
        assertEquals(300L * 999 * 1000 / 2, sums[1]);
    }
}
