package gradncp.tensor;

/**
 * Rematerialisation: a storage whose values can be recomputed cheaply from tensors the graph
 * keeps anyway (an elementwise pass) may give its array back between uses and have it refilled
 * on the next access. The differentiable backward evicts such intermediates when it is done with
 * them (see Autodiff), so a graph kept for a later backward holds fewer large tensors.
 */
final class Eviction {
    private Eviction() {}

    /**
     * Marks a storage as recomputable: {@link #evict} may then drop its array, and the next
     * access refills it with remat (counted as an allocation at that moment, in the storage's
     * own scope). The inputs remat reads must stay alive as long as the storage does.
     */
    static void setRecomputable(Storage s, Storage.Remat remat) {
        s.remat = remat;
    }

    /**
     * Returns a recomputable storage's array to the pool now; the values come back, recomputed,
     * on the next access. A no-op for storage that is not recomputable or holds no array.
     */
    static void evict(Storage s) {
        synchronized (s) {
            if (s.remat == null || s.isReleased()) {
                return;
            }
            Memory.giveBack(s, s.take());
        }
    }

    /**
     * Refills an evicted storage; called by {@link Storage#materialize} holding the storage's
     * lock. The refill is an allocation in the storage's own scope (its budget applies) on
     * whichever thread reads the storage first.
     */
    static void rematerialize(Storage s) {
        long bytes = s.account.bytes;
        if (s.scope != null) {
            s.scope.checkBudget(bytes);
        }
        Object array;
        synchronized (Memory.LOCK) {
            Accounting.recount(s);
            array = s.isDry() ? null : BufferPool.poll(s.dtype, s.length);
        }
        array = s.isDry() ? s.dry.array(s.dtype, s.length) : BufferPool.prepare(array, s.dtype, s.length, false);
        if (!s.isDry()) {
            s.remat.fill(array);
        }
        s.put(array);
    }
}
