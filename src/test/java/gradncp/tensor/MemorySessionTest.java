package gradncp.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Memory options belong to the session that opened them: nested scopes inherit, other threads don't. */
class MemorySessionTest {
    static Tensor ones(int n) {
        return Tensor.full(DType.F32, 1.0, n);
    }

    @Test
    void aDryRunOnOneThreadLeavesAnotherThreadComputing() throws Exception {
        AtomicReference<float[]> other = new AtomicReference<>();
        try (Memory.Scope s = Memory.session(MemoryOptions.dryRun())) {
            Tensor dry = ones(4).add(ones(4));
            assertTrue(dry.isDry());
            Thread t = new Thread(() -> other.set(ones(4).add(ones(4)).toFloatArray()));
            t.start();
            t.join();
        }
        assertArrayEquals(new float[] {2, 2, 2, 2}, other.get());
        assertFalse(ones(4).add(ones(4)).isDry(), "the dry run ends with its session");
    }

    @Test
    void nestedScopesAndSessionsInheritTheDryRun() {
        try (Memory.Scope s = Memory.session(MemoryOptions.dryRun())) {
            try (Memory.Scope inner = Memory.scope()) {
                assertTrue(ones(8).isDry());
            }
            try (Memory.Scope inner = Memory.session(MemoryOptions.budget(1 << 20))) {
                assertTrue(ones(8).isDry(), "a session inside a dry run is a dry run");
            }
        }
    }

    @Test
    void aNestedScopeCountsAgainstTheSessionBudget() {
        try (Memory.Scope s = Memory.session(MemoryOptions.budget(1000))) {
            Tensor kept = ones(200); // 800 bytes
            try (Memory.Scope inner = Memory.scope()) {
                var e = assertThrows(Memory.OutOfBudget.class, () -> ones(100));
                assertTrue(e.getMessage().contains("budget of 1000 bytes"), e.getMessage());
            }
            assertEquals(800, s.liveBytes());
            assertEquals(200, kept.size());
        }
    }

    @Test
    void theBudgetCountsOnlyTheSessionsOwnTensors() {
        try (Memory.Scope outer = Memory.scope()) {
            Tensor before = ones(1000); // 4000 bytes alive before the session opens
            try (Memory.Scope s = Memory.session(MemoryOptions.budget(1000))) {
                assertEquals(100, ones(100).size());
            }
            assertEquals(1000, before.size());
        }
    }

    @Test
    void aBudgetMustBePositive() {
        var e = assertThrows(IllegalArgumentException.class, () -> MemoryOptions.budget(0));
        assertTrue(e.getMessage().contains("UNLIMITED"), e.getMessage());
    }
}
