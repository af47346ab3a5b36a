package gradncp.run;

import gradncp.config.MetaConfig;
import gradncp.meta.MetaStep;
import gradncp.nn.Batch;
import gradncp.nn.Decoder;
import gradncp.nn.Params;
import gradncp.optim.Adam;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import gradncp.tensor.MemoryOptions;
import gradncp.tensor.Tensor;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Refuses a training configuration that cannot fit the heap, before any data is made or read: the
 * engine accounts every tensor of one outer step exactly in a dry run (nothing is computed, as
 * {@code bench memory} measures), so the figure is known in well under a second for a small
 * configuration and the dry run stops at the heap size for a large one.
 */
public final class MemoryCheck {
    /** Heap kept free for the JVM, the data set's Java objects and the buffer pool's slack. */
    static final long HEADROOM = 256L << 20;
    private static final double GIB = 1L << 30;

    private MemoryCheck() {}

    /**
     * Throws IllegalArgumentException, with the bytes needed and the -Xmx that would hold them, when
     * one outer step of cfg on signals of {@code points} points (inDim coordinates, channels values)
     * plus {@code dataBytes} of signals cannot fit into {@code maxHeap} bytes.
     *
     * <p>A coordinate network's step grows linearly with the points per signal, so its need is first
     * extrapolated from dry runs on 1024 and 2048 points (milliseconds); only a configuration that
     * looks like it fits is then accounted exactly, under the heap as budget.
     */
    public static void requireFits(MetaConfig cfg, Decoder decoder, int inDim, int points, int channels,
            long dataBytes, MetaStep.Mode mode, long maxHeap) {
        if (cfg.method() == MetaConfig.Method.RANDOM || cfg.outerSteps() == 0) {
            return; // no outer step is taken
        }
        long room = maxHeap - HEADROOM - dataBytes;
        long step;
        boolean estimate = false;
        if (decoder.readsCoords() && points > 2048) {
            long a = stepBytes(cfg, decoder, inDim, 1024, channels, mode, 0);
            long b = stepBytes(cfg, decoder, inDim, 2048, channels, mode, 0);
            step = b + (b - a) * ((points - 2048L) / 1024) + (b - a) * ((points - 2048L) % 1024) / 1024;
            estimate = true;
            if (step <= room) {
                step = stepBytes(cfg, decoder, inDim, points, channels, mode, room);
                estimate = false;
            }
        } else {
            step = room <= 0 ? OVER : stepBytes(cfg, decoder, inDim, points, channels, mode, room);
        }
        if (step == TOO_LARGE) {
            throw new IllegalArgumentException("one outer step of this configuration needs a tensor of more than"
                    + " 2^31 elements (the engine's limit) at metaBatch " + cfg.metaBatch() + " and " + points
                    + " points per signal; lower resolution or metaBatch");
        }
        if (step == OVER || step > room) {
            String need = step == OVER ? "more than " + gib(Math.max(room, 0)) : (estimate ? "about " : "") + gib(step);
            String xmx = step == OVER ? "a larger -Xmx than " + gib(maxHeap)
                    : "-Xmx" + (long) Math.ceil((step + dataBytes + HEADROOM) / GIB) + "g";
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "this configuration does not fit the heap: one outer step needs %s (metaBatch %d,"
                    + " %d points of %d values per signal, %s, innerSteps %d)%s, and the JVM has %s of heap;"
                    + " run with GRADNCP_JAVA_OPTS=%s, or lower resolution, metaBatch or innerSteps,"
                    + " or train --recompute", need, cfg.metaBatch(), points, channels, decoder, cfg.innerSteps(),
                    dataBytes > 0 ? " plus " + gib(dataBytes) + " of signals" : "", gib(maxHeap), xmx));
        }
    }

    /** stepBytes: over the budget. */
    static final long OVER = Long.MAX_VALUE;
    /** stepBytes: a tensor beyond the engine's 2^31 elements. */
    static final long TOO_LARGE = -1;

    /** Peak engine bytes of one outer step (budget 0: none), or {@link #OVER}, or {@link #TOO_LARGE}. */
    static long stepBytes(MetaConfig cfg, Decoder decoder, int inDim, int points, int channels,
            MetaStep.Mode mode, long budget) {
        try (Memory.Scope dry = Memory.session(budget > 0 ? MemoryOptions.dryRun(budget) : MemoryOptions.dryRun())) {
            Params[] theta = {decoder.init(cfg.seed(), DType.F32)};
            Adam adam = new Adam(cfg.outerLr(), theta[0]);
            int[] layout = decoder.layout(inDim, points, channels);
            int[] dims = new int[layout.length + 1];
            dims[0] = cfg.metaBatch();
            System.arraycopy(layout, 0, dims, 1, layout.length);
            Tensor coords = decoder.readsCoords() ? Tensor.zeros(DType.F32, points, inDim) : null;
            Batch batch = new Batch(coords, Tensor.zeros(DType.F32, dims));
            MetaStep.run(decoder, theta, adam, batch, cfg, new SplittableRandom(0), mode);
            return dry.peakBytes();
        } catch (Memory.OutOfBudget e) {
            return OVER;
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("per tensor")) {
                return TOO_LARGE; // Shape refuses more than 2^31 elements
            }
            throw e;
        } finally {
            Memory.clearPool();
        }
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.2f GiB", bytes / GIB);
    }
}
