package gradncp.tensor.kernel;

import java.util.Arrays;

import java.util.Objects;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched, strided general matrix multiply on float/double arrays (row-major, contiguous
 * operands), vectorised with the Vector API and multithreaded with {@link Parallel}.
 *
 * <p>Design (GotoBLAS/BLIS style): op(B) is packed into micro-panels of {@code NR} columns
 * (k-major, zero padded) and op(A) into micro-panels of {@code MR} rows (k-major, zero padded),
 * both in reusable thread-local buffers; a register-blocked micro-kernel keeps an MR x NR tile of C
 * in MR*NR/lanes vector accumulators and updates it with one broadcast of A and NR/lanes fma per
 * row and k step. Loops are blocked over n (NC), k (KC) and m (MC). When the output is skinny in n
 * (e.g. n=3) the problem is computed transposed (C^T = op(B)^T op(A)^T) so the skinny side maps to
 * the MR rows of the tile instead of the wide NR columns. Work is split across threads over
 * (batch item, n block, MR-row panel) items, so even a 256x256 output keeps every core busy; a
 * shared C (cStride 0) is never written by two threads at once (batch items are then summed
 * sequentially inside each output block).
 */
public final class Gemm {
    private Gemm() {}

    /** Below this many flops a call runs on the calling thread only. */
    private static final long PARALLEL_FLOPS = 1L << 21;

    /** Widest output (n) that takes the dot-product path for A [m,k] x B^T [n,k]. */
    private static final int DOT_MAX_N = 4;

    /** Outputs at most this tall (and this big) are split over k, not rows, when k is long. */
    private static final int K_SPLIT_MAX_M = 512;
    private static final long K_SPLIT_MAX_MN = 1L << 18;

    // ---------------------------------------------------------------- thread-local buffers

    private static final class Buffers {
        float[] apF = new float[0], bpF = new float[0], tmpF = new float[0];
        /** What bpF holds: B of job bpJob, item, k offset, column block (bpJob 0: nothing). */
        long bpJob;
        int bpItem, bpPc, bpJc, bpNc;
        double[] apD = new double[0], bpD = new double[0], tmpD = new double[0];
    }

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Fraction of a tiled m x n output that is useful work. */
    private static double utilization(int m, int n, int mr, int nr) {
        return (double) m / (ceilDiv(m, mr) * mr) * ((double) n / (ceilDiv(n, nr) * nr));
    }

    private static void checkArgs(int batch, int m, int n, int k, int aLen, int aOff, int aStride,
            int bLen, int bOff, int bStride, int cLen, int cOff, int cStride) {
        if (batch < 0 || m < 0 || n < 0 || k < 0 || aStride < 0 || bStride < 0 || cStride < 0) {
            throw new IllegalArgumentException("negative size or stride: batch=" + batch + " m=" + m
                    + " n=" + n + " k=" + k);
        }
        if (batch == 0) {
            return;
        }
        checkOperand("A", aLen, aOff, aStride, batch, (long) m * k, k > 0 && m > 0);
        checkOperand("B", bLen, bOff, bStride, batch, (long) k * n, k > 0 && n > 0);
        checkOperand("C", cLen, cOff, cStride, batch, (long) m * n, m > 0 && n > 0);
    }

    private static void checkOperand(String name, int len, int off, int stride, int batch,
            long size, boolean used) {
        if (!used) {
            return;
        }
        long end = off + (long) stride * (batch - 1) + size;
        if (off < 0 || end > len) {
            throw new IndexOutOfBoundsException(name + " out of bounds: offset " + off + ", batch stride "
                    + stride + ", batch " + batch + ", matrix size " + size + ", array length " + len);
        }
    }

    // ============================================================================ float32
    // BEGIN-F32

    private static final VectorSpecies<Float> SPECIES_f = FloatVector.SPECIES_PREFERRED;
    private static final int L_f = SPECIES_f.length();
    private static final int MR_f = 6;
    /** 8 lanes: packs a transposed A's MR = 6 contiguous values per k with one copy. */
    private static final VectorSpecies<Float> PACK_f = FloatVector.SPECIES_256;
    private static final int PACK_LANES = 8;
    private static final int NR_f = 4 * L_f;
    private static final int KC_f = 256;
    private static final int MC_f = 120;
    private static final int NC_f = 1024;

    /**
     * C[i] (=|+=) op(A[i]) @ op(B[i]) for i in [0, batch). op(A) is [m,k]: A stored [m,k] if !ta,
     * [k,m] if ta. op(B) is [k,n]: B stored [k,n] if !tb, [n,k] if tb. C is [m,n].
     * accumulate=false overwrites C. Strides are in elements; a batch stride of 0 shares the operand
     * across batch items (for C: all batch items are summed into the one C).
     */
    public static void sgemm(int batch, boolean ta, boolean tb, int m, int n, int k,
            float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
            float[] c, int cOff, int cStride, boolean accumulate) {
        checkArgs(batch, m, n, k, a.length, aOff, aStride, b.length, bOff, bStride, c.length, cOff,
                cStride);
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        boolean sharedC = cStride == 0 && batch > 1;
        if (k == 0) {
            if (!accumulate) {
                int items = sharedC ? 1 : batch;
                for (int i = 0; i < items; i++) {
                    java.util.Arrays.fill(c, cOff + i * cStride, cOff + i * cStride + m * n, 0f);
                }
            }
            return;
        }
        if (!ta && tb && n <= DOT_MAX_N && k >= 2 * L_f) {
            dotRows_f(batch, m, n, k, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride,
                    accumulate, sharedC);
            return;
        }
        prepare_f(batch, ta, tb, m, n, k, a, aOff, aStride, b, bOff, bStride, c, cOff, cStride,
                accumulate, sharedC).run(batch);
    }

    /** The job of one product, oriented (C or C^T) for the best use of the register tile. */
    private static Job_f prepare_f(int batch, boolean ta, boolean tb, int m, int n, int k,
            float[] a, int aOff, int aStride, float[] b, int bOff, int bStride,
            float[] c, int cOff, int cStride, boolean accumulate, boolean sharedC) {
        Job_f job = new Job_f();
        job.k = k;
        job.accumulate = accumulate;
        job.aStride = aStride;
        job.bStride = bStride;
        job.cStride = cStride;
        job.cBase = cOff;
        job.c = c;
        // element strides of op(A) (rows i, cols p) and op(B) (rows p, cols j)
        int rsA = ta ? 1 : k, csA = ta ? m : 1;
        int rsB = tb ? 1 : n, csB = tb ? k : 1;
        if (utilization(n, m, MR_f, NR_f) > 1.25 * utilization(m, n, MR_f, NR_f)) {
            // compute C^T = op(B)^T op(A)^T, written into C with transposed strides
            job.transposed = true;
            job.m = n;
            job.n = m;
            job.a = b;
            job.aBase = bOff;
            job.aStride = bStride;
            job.rsA = csB;
            job.csA = rsB;
            job.b = a;
            job.bBase = aOff;
            job.bStride = aStride;
            job.rsB = csA;
            job.csB = rsA;
            job.rsC = 1;
            job.csC = n;
        } else {
            job.m = m;
            job.n = n;
            job.a = a;
            job.aBase = aOff;
            job.rsA = rsA;
            job.csA = csA;
            job.b = b;
            job.bBase = bOff;
            job.rsB = rsB;
            job.csB = csB;
            job.rsC = n;
            job.csC = 1;
        }
        job.sharedC = sharedC;
        return job;
    }

    /**
     * The forward of a linear layer with its epilogue fused into the product: C[i] = x[i] W[i]^T
     * + bias[i] for i in [0, batch) (x [m,k], W [n,k], bias [n], C [m,n]; a batch stride of 0
     * shares x, W or bias) and, when sinOut is not null, sinOut[i] = sin(w0 C[i]) as well. The
     * bias and the sine are applied to each register tile of C while it is still in the L1
     * cache, so C is written once and never re-read; shapes where that does not apply (a skinny
     * or transposed output) fall back to the bias fill, the product, and a sine pass.
     */
    public static void sgemmLinear(int batch, int m, int n, int k, float[] x, int xStride,
            float[] w, int wStride, float[] bias, int biasStride, float[] c, float[] sinOut, float w0) {
        checkArgs(batch, m, n, k, x.length, 0, xStride, w.length, 0, wStride, c.length, 0, m * n);
        checkOperand("bias", bias.length, 0, biasStride, batch, n, m > 0 && n > 0);
        if (sinOut != null) {
            checkOperand("sinOut", sinOut.length, 0, m * n, batch, (long) m * n, m > 0 && n > 0);
        }
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        Job_f job = k == 0 || (n <= DOT_MAX_N && k >= 2 * L_f) ? null
                : prepare_f(batch, false, true, m, n, k, x, 0, xStride, w, 0, wStride, c, 0, m * n, false, false);
        if (job != null && !job.transposed) {
            job.bias = bias;
            job.biasStride = biasStride;
            job.sinOut = sinOut;
            job.w0 = w0;
            job.run(batch);
            return;
        }
        for (int i = 0; i < batch; i++) {
            for (int r = 0; r < m; r++) {
                System.arraycopy(bias, i * biasStride, c, i * m * n + r * n, n);
            }
        }
        sgemm(batch, false, true, m, n, k, x, 0, xStride, w, 0, wStride, c, 0, m * n, true);
        if (sinOut != null) {
            int total = batch * m * n;
            Parallel.forRange(total, 1 << 15, (lo, hi) -> {
                for (int i = lo; i < hi; i += 1 << 12) {
                    sinRow_f(c, sinOut, i, Math.min(hi, i + (1 << 12)), w0);
                }
            });
        }
    }

    /** s[i] = sin(w0 c[i]) for i in [lo, hi). */
    private static void sinRow_f(float[] c, float[] s, int lo, int hi, float w0) {
        int j = lo;
        for (int upper = lo + SPECIES_f.loopBound(hi - lo); j < upper; j += L_f) {
            Trig.sin(FloatVector.fromArray(SPECIES_f, c, j).mul(w0)).intoArray(s, j);
        }
        for (; j < hi; j++) {
            s[j] = Trig.sin(w0 * c[j]);
        }
    }

    /**
     * Epilogue on an mr x nr tile of C just written (row stride rs, unit column stride): adds the
     * bias row (when bias is not null) and writes sin(w0 C) into s (when s is not null).
     */
    private static void epilogue_f(float[] c, int cIdx, int rs, int mr, int nr, float[] bias, int bIdx,
            float[] s, float w0) {
        for (int r = 0; r < mr; r++) {
            int o = cIdx + r * rs;
            int j = 0;
            for (int upper = SPECIES_f.loopBound(nr); j < upper; j += L_f) {
                FloatVector v = FloatVector.fromArray(SPECIES_f, c, o + j);
                if (bias != null) {
                    v = v.add(FloatVector.fromArray(SPECIES_f, bias, bIdx + j));
                    v.intoArray(c, o + j);
                }
                if (s != null) {
                    Trig.sin(v.mul(w0)).intoArray(s, o + j);
                }
            }
            for (; j < nr; j++) {
                float v = c[o + j];
                if (bias != null) {
                    v += bias[bIdx + j];
                    c[o + j] = v;
                }
                if (s != null) {
                    s[o + j] = Trig.sin(w0 * v);
                }
            }
        }
    }

    /** c[row + j*cs] += buf[src + j] for j in [0, n). */
    private static void addRow_f(float[] buf, int src, float[] c, int row, int cs, int n) {
        if (cs == 1) {
            int j = 0;
            for (int jv = SPECIES_f.loopBound(n); j < jv; j += L_f) {
                FloatVector.fromArray(SPECIES_f, c, row + j)
                        .add(FloatVector.fromArray(SPECIES_f, buf, src + j))
                        .intoArray(c, row + j);
            }
            for (; j < n; j++) {
                c[row + j] += buf[src + j];
            }
        } else {
            for (int j = 0; j < n; j++) {
                c[row + j * cs] += buf[src + j];
            }
        }
    }

    /** Reusable partial-sum buffers of the k-split; a buffer has one user at a time. */
    private static final java.util.concurrent.ConcurrentLinkedQueue<float[]> PARTIALS_f =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private static float[] takePartial_f(int size) {
        float[] p = PARTIALS_f.poll();
        return p != null && p.length >= size ? p : new float[Math.max(size, 1 << 12)];
    }

    private static final java.util.concurrent.atomic.AtomicLong JOB_IDS = new java.util.concurrent.atomic.AtomicLong();

    private static final class Job_f {
        /** Identifies the product for the packed-B reuse across the pieces one thread runs. */
        final long id = JOB_IDS.incrementAndGet();
        float[] a, b, c;
        int aBase, bBase, cBase, aStride, bStride, cStride;
        int rsA, csA, rsB, csB, rsC, csC;
        int m, n, k;
        boolean accumulate, sharedC, transposed;
        int batch, batchPar, mUnits, nPanels, nParts, kBlocks;
        /** Linear epilogue (C not transposed, not shared): bias row per item, sin(w0 C) output. */
        float[] bias, sinOut;
        int biasStride;
        float w0;

        void run(int batch) {
            this.batch = batch;
            batchPar = sharedC ? 1 : batch;
            mUnits = ceilDiv(m, MR_f);
            nPanels = ceilDiv(n, NR_f);
            kBlocks = ceilDiv(k, KC_f);
            long flops = 2L * m * n * k * batch;
            int threads = Parallel.threads();
            if (threads <= 1 || flops < PARALLEL_FLOPS) {
                for (int bi = 0; bi < batchPar; bi++) {
                    blockUnits(bi, 0, m, 0, n);
                }
                return;
            }
            int reduceUnits = (sharedC ? batch : 1) * kBlocks;
            if (bias == null && sinOut == null && batchPar == 1 && m <= K_SPLIT_MAX_M && (long) m * n <= K_SPLIT_MAX_MN
                    && reduceUnits >= 2 * threads) {
                runKSplit(threads, reduceUnits);
                return;
            }
            int target = 8 * threads;
            nParts = 1;
            if ((long) batchPar * mUnits < target) {
                nParts = Math.min(nPanels, ceilDiv(target, batchPar * mUnits));
            }
            long items = (long) batchPar * nParts * mUnits;
            if (items > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("problem too large");
            }
            Parallel.forRange((int) items, 1, this::runItems);
        }

        /**
         * Small output, long reduction (weight gradients): the reduction units (batch item, KC
         * block) are split in fixed contiguous pieces (two per thread, so a thread on a busier
         * core takes fewer; each extra piece adds a partial buffer to merge); piece 0 updates C in
         * place, the others fill private partial buffers that are added into C in piece order
         * after the join (deterministic).
         */
        private void runKSplit(int threads, int reduceUnits) {
            int pieces = Parallel.pieces(reduceUnits, Math.max(1, reduceUnits / (2 * threads)));
            float[][] partial = new float[pieces][];
            Parallel.forEachPiece(reduceUnits, pieces, (t, u0, u1) -> {
                if (t == 0) {
                    block(u0, u1, 0, m, 0, n, c, cBase, rsC, csC, accumulate);
                } else {
                    float[] buf = takePartial_f(m * n);
                    block(u0, u1, 0, m, 0, n, buf, 0, n, 1, false);
                    partial[t] = buf;
                }
            });
            Parallel.forRange(m, Math.max(1, (1 << 14) / Math.max(1, n)), (lo, hi) -> {
                for (int i = lo; i < hi; i++) {
                    int row = cBase + i * rsC, src = i * n;
                    for (int t = 1; t < pieces; t++) {
                        addRow_f(partial[t], src, c, row, csC, n);
                    }
                }
            });
            for (int t = 1; t < pieces; t++) {
                PARTIALS_f.offer(partial[t]);
            }
        }

        /** Items are ordered (batch item, n part, MR-row unit), row unit fastest. */
        private void runItems(int lo, int hi) {
            int it = lo;
            while (it < hi) {
                int unit = it % mUnits;
                int rest = it / mUnits;
                int np = rest % nParts;
                int bi = rest / nParts;
                int end = Math.min(hi, it - unit + mUnits);
                int m0 = unit * MR_f, m1 = Math.min(m, (end - it + unit) * MR_f);
                int n0 = Math.min(n, (int) ((long) np * nPanels / nParts) * NR_f);
                int n1 = Math.min(n, (int) ((long) (np + 1) * nPanels / nParts) * NR_f);
                if (m0 < m1 && n0 < n1) {
                    blockUnits(bi, m0, m1, n0, n1);
                }
                it = end;
            }
        }

        /** All reduction units of C item bi (every batch item when C is shared). */
        private void blockUnits(int bi, int m0, int m1, int n0, int n1) {
            if (sharedC) {
                block(0, batch * kBlocks, m0, m1, n0, n1, c, cBase, rsC, csC, accumulate);
            } else {
                block(bi * kBlocks, (bi + 1) * kBlocks, m0, m1, n0, n1, c, cBase + bi * cStride,
                        rsC, csC, accumulate);
            }
        }

        /**
         * Computes rows [m0,m1) x cols [n0,n1) of the target (element (i,j) at cb+i*rs+j*cs) as
         * the sum over reduction units [u0,u1), unit u = (batch item u / kBlocks, KC block
         * u % kBlocks); the first unit overwrites unless acc.
         */
        private void block(int u0, int u1, int m0, int m1, int n0, int n1, float[] cc, int cb,
                int rs, int cs, boolean acc) {
            Buffers buf = BUFFERS.get();
            int kcMax = Math.min(k, KC_f);
            int bpNeed = kcMax * Math.min(ceilDiv(n1 - n0, NR_f), ceilDiv(NC_f, NR_f)) * NR_f;
            if (buf.bpF.length < bpNeed) {
                buf.bpF = new float[bpNeed];
                buf.bpJob = 0;
            }
            int apNeed = kcMax * Math.min(ceilDiv(m1 - m0, MR_f), ceilDiv(MC_f, MR_f)) * MR_f + PACK_LANES;
            if (buf.apF.length < apNeed) {
                buf.apF = new float[apNeed];
            }
            if (buf.tmpF.length < MR_f * NR_f) {
                buf.tmpF = new float[MR_f * NR_f];
            }
            float[] ap = buf.apF, bp = buf.bpF, tmp = buf.tmpF;
            for (int jc = n0; jc < n1; jc += NC_f) {
                int nc = Math.min(NC_f, n1 - jc);
                for (int u = u0; u < u1; u++) {
                    int item = u / kBlocks, pc = (u % kBlocks) * KC_f;
                    int ab = aBase + item * aStride, bb = bBase + item * bStride;
                    int kc = Math.min(KC_f, k - pc);
                    boolean load = acc || u > u0;
                    // a thread running several pieces of the same product packs its B once
                    if (buf.bpJob != id || buf.bpItem != item || buf.bpPc != pc || buf.bpJc != jc
                            || buf.bpNc != nc) {
                        for (int jr = 0; jr < nc; jr += NR_f) {
                            packB_f(b, bb + pc * rsB + (jc + jr) * csB, rsB, csB, kc,
                                    Math.min(NR_f, nc - jr), bp, (jr / NR_f) * kc * NR_f);
                        }
                        buf.bpJob = id;
                        buf.bpItem = item;
                        buf.bpPc = pc;
                        buf.bpJc = jc;
                        buf.bpNc = nc;
                    }
                    for (int ic = m0; ic < m1; ic += MC_f) {
                        int mc = Math.min(MC_f, m1 - ic);
                        // A with contiguous rows is read in place by the kernel (6 streams of
                        // broadcasts), which saves the packing copy. A transposed A (the weight
                        // gradients' g^T) is packed: 6 contiguous values per k, one 8-lane copy
                        // each, instead of 6 reads 1 KiB apart per k (both measured, BENCHMARKS.md)
                        boolean direct = csA == 1 && mc % MR_f == 0;
                        if (!direct) {
                            for (int ir = 0; ir < mc; ir += MR_f) {
                                packA_f(a, ab + (ic + ir) * rsA + pc * csA, rsA, csA, kc,
                                        Math.min(MR_f, mc - ir), ap, (ir / MR_f) * kc * MR_f);
                            }
                        }
                        for (int jr = 0; jr < nc; jr += NR_f) {
                            int nr = Math.min(NR_f, nc - jr);
                            int bIdx = (jr / NR_f) * kc * NR_f;
                            for (int ir = 0; ir < mc; ir += MR_f) {
                                int mr = Math.min(MR_f, mc - ir);
                                int cIdx = cb + (ic + ir) * rs + (jc + jr) * cs;
                                if (direct) {
                                    kernel_f(kc, a, ab + (ic + ir) * rsA + pc * csA, rsA, csA, bp,
                                            bIdx, cc, cIdx, rs, cs, mr, nr, load, tmp);
                                } else {
                                    kernel_f(kc, ap, (ir / MR_f) * kc * MR_f, 1, MR_f, bp, bIdx,
                                            cc, cIdx, rs, cs, mr, nr, load, tmp);
                                }
                                boolean addBias = bias != null && !load;
                                float[] sin = u == u1 - 1 ? sinOut : null;
                                if (addBias || sin != null) {
                                    epilogue_f(cc, cIdx, rs, mr, nr, addBias ? bias : null,
                                            item * biasStride + jc + jr, sin, w0);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * Skinny-output path for A [m,k] times B^T with B [n,k], n tiny (e.g. a 3-channel output
     * layer): every C element is a dot product of two contiguous rows, so nothing is packed and A is
     * streamed exactly once. Parallel over rows; batch items (summed when C is shared) run inside.
     */
    private static void dotRows_f(int batch, int m, int n, int k, float[] a, int aOff, int aStride,
            float[] b, int bOff, int bStride, float[] c, int cOff, int cStride, boolean accumulate,
            boolean sharedC) {
        long flops = 2L * m * n * k * batch;
        int grain = flops < PARALLEL_FLOPS ? m : Math.max(1, m / (4 * Parallel.threads()));
        Parallel.forRange(m, grain, (lo, hi) -> {
            for (int item = 0; item < batch; item++) {
                boolean load = accumulate || (sharedC && item > 0);
                int ab = aOff + item * aStride, bb = bOff + item * bStride;
                int cb = cOff + (sharedC ? 0 : item * cStride);
                for (int i = lo; i < hi; i++) {
                    int ar = ab + i * k, cr = cb + i * n;
                    int j = 0;
                    for (; j + 1 < n; j += 2) {
                        dot2_f(a, ar, b, bb + j * k, bb + (j + 1) * k, k, c, cr + j, load);
                    }
                    if (j < n) {
                        dot2_f(a, ar, b, bb + j * k, -1, k, c, cr + j, load);
                    }
                }
            }
        });
    }

    /** c[ci] (+)= a[ar..ar+k) . b[b0..b0+k) and, if b1 >= 0, c[ci+1] (+)= a[ar..] . b[b1..]. */
    private static void dot2_f(float[] a, int ar, float[] b, int b0, int b1, int k, float[] c,
            int ci, boolean load) {
        final var S = SPECIES_f;
        final int l = L_f;
        int kv = k - k % (2 * l);
        boolean two = b1 >= 0;
        int b1s = two ? b1 : b0;
        FloatVector s00 = FloatVector.zero(S), s01 = s00, s10 = s00, s11 = s00;
        for (int p = 0; p < kv; p += 2 * l) {
            FloatVector x0 = FloatVector.fromArray(S, a, ar + p);
            FloatVector x1 = FloatVector.fromArray(S, a, ar + p + l);
            s00 = x0.fma(FloatVector.fromArray(S, b, b0 + p), s00);
            s01 = x1.fma(FloatVector.fromArray(S, b, b0 + p + l), s01);
            s10 = x0.fma(FloatVector.fromArray(S, b, b1s + p), s10);
            s11 = x1.fma(FloatVector.fromArray(S, b, b1s + p + l), s11);
        }
        float r0 = Lanes.sum(s00.add(s01));
        float r1 = Lanes.sum(s10.add(s11));
        for (int p = kv; p < k; p++) {
            float x = a[ar + p];
            r0 += x * b[b0 + p];
            r1 += x * b[b1s + p];
        }
        c[ci] = load ? c[ci] + r0 : r0;
        if (two) {
            c[ci + 1] = load ? c[ci + 1] + r1 : r1;
        }
    }

    /** Packs rows [0,mr) x cols [0,kc) of A(i,p)=a[base+i*rs+p*cs] k-major into MR-wide rows. */
    private static void packA_f(float[] a, int base, int rs, int cs, int kc, int mr, float[] ap,
            int apOff) {
        if (cs == 1) {
            for (int r = 0; r < mr; r++) {
                int src = base + r * rs;
                int dst = apOff + r;
                for (int p = 0; p < kc; p++) {
                    ap[dst + p * MR_f] = a[src + p];
                }
            }
            for (int r = mr; r < MR_f; r++) {
                for (int p = 0; p < kc; p++) {
                    ap[apOff + r + p * MR_f] = 0f;
                }
            }
        } else if (rs == 1 && mr == MR_f && base + (long) (kc - 1) * cs + PACK_LANES <= a.length) {
            // the two lanes beyond MR are overwritten by the next k (or land in the padding)
            for (int p = 0; p < kc; p++) {
                FloatVector.fromArray(PACK_f, a, base + p * cs).intoArray(ap, apOff + p * MR_f);
            }
        } else {
            for (int p = 0; p < kc; p++) {
                int src = base + p * cs;
                int dst = apOff + p * MR_f;
                int r = 0;
                for (; r < mr; r++) {
                    ap[dst + r] = a[src + r * rs];
                }
                for (; r < MR_f; r++) {
                    ap[dst + r] = 0f;
                }
            }
        }
    }

    /** Packs rows [0,kc) x cols [0,nr) of B(p,j)=b[base+p*rs+j*cs] into one NR-wide panel. */
    private static void packB_f(float[] b, int base, int rs, int cs, int kc, int nr, float[] bp,
            int bpOff) {
        if (cs == 1 && nr == NR_f) {
            for (int p = 0; p < kc; p++) {
                int src = base + p * rs, dst = bpOff + p * NR_f;
                for (int v = 0; v < NR_f; v += L_f) {
                    FloatVector.fromArray(SPECIES_f, b, src + v).intoArray(bp, dst + v);
                }
            }
        } else if (cs == 1) {
            for (int p = 0; p < kc; p++) {
                int src = base + p * rs, dst = bpOff + p * NR_f;
                int j = 0;
                for (; j < nr; j++) {
                    bp[dst + j] = b[src + j];
                }
                for (; j < NR_f; j++) {
                    bp[dst + j] = 0f;
                }
            }
        } else {
            // transposed source: walk k outside so the writes are sequential and the nr source
            // streams (one per column) each advance by rs
            for (int p = 0; p < kc; p++) {
                int src = base + p * rs, dst = bpOff + p * NR_f;
                int j = 0;
                for (; j < nr; j++) {
                    bp[dst + j] = b[src + j * cs];
                }
                for (; j < NR_f; j++) {
                    bp[dst + j] = 0f;
                }
            }
        }
    }

    /**
     * MR x NR micro-kernel: tile = sum_p A(r,p) * bp[p*NR + j] with A(r,p) = ap[aIdx + r*aRs +
     * p*aCs] (a packed panel: aRs 1, aCs MR; or A in place); adds to (load) or stores into the
     * mr x nr valid part of C(r,j) = c[cIdx + r*rsC + j*csC].
     */
    private static void kernel_f(int kc, float[] ap, int aIdx, int aRs, int aCs, float[] bp,
            int bIdx, float[] c, int cIdx, int rsC, int csC, int mr, int nr, boolean load,
            float[] tmp) {
        final var S = SPECIES_f;
        final int l = L_f;
        FloatVector zero = FloatVector.zero(S);
        FloatVector c0_0 = zero, c0_1 = zero, c0_2 = zero, c0_3 = zero;
        FloatVector c1_0 = zero, c1_1 = zero, c1_2 = zero, c1_3 = zero;
        FloatVector c2_0 = zero, c2_1 = zero, c2_2 = zero, c2_3 = zero;
        FloatVector c3_0 = zero, c3_1 = zero, c3_2 = zero, c3_3 = zero;
        FloatVector c4_0 = zero, c4_1 = zero, c4_2 = zero, c4_3 = zero;
        FloatVector c5_0 = zero, c5_1 = zero, c5_2 = zero, c5_3 = zero;
        for (int p = 0; p < kc; p++) {
            int ai = aIdx + p * aCs, bi = bIdx + p * NR_f;
            FloatVector b0 = FloatVector.fromArray(S, bp, bi);
            FloatVector b1 = FloatVector.fromArray(S, bp, bi + l);
            FloatVector b2 = FloatVector.fromArray(S, bp, bi + 2 * l);
            FloatVector b3 = FloatVector.fromArray(S, bp, bi + 3 * l);
            FloatVector av = FloatVector.broadcast(S, ap[ai]);
            c0_0 = b0.fma(av, c0_0);
            c0_1 = b1.fma(av, c0_1);
            c0_2 = b2.fma(av, c0_2);
            c0_3 = b3.fma(av, c0_3);
            av = FloatVector.broadcast(S, ap[ai + 1 * aRs]);
            c1_0 = b0.fma(av, c1_0);
            c1_1 = b1.fma(av, c1_1);
            c1_2 = b2.fma(av, c1_2);
            c1_3 = b3.fma(av, c1_3);
            av = FloatVector.broadcast(S, ap[ai + 2 * aRs]);
            c2_0 = b0.fma(av, c2_0);
            c2_1 = b1.fma(av, c2_1);
            c2_2 = b2.fma(av, c2_2);
            c2_3 = b3.fma(av, c2_3);
            av = FloatVector.broadcast(S, ap[ai + 3 * aRs]);
            c3_0 = b0.fma(av, c3_0);
            c3_1 = b1.fma(av, c3_1);
            c3_2 = b2.fma(av, c3_2);
            c3_3 = b3.fma(av, c3_3);
            av = FloatVector.broadcast(S, ap[ai + 4 * aRs]);
            c4_0 = b0.fma(av, c4_0);
            c4_1 = b1.fma(av, c4_1);
            c4_2 = b2.fma(av, c4_2);
            c4_3 = b3.fma(av, c4_3);
            av = FloatVector.broadcast(S, ap[ai + 5 * aRs]);
            c5_0 = b0.fma(av, c5_0);
            c5_1 = b1.fma(av, c5_1);
            c5_2 = b2.fma(av, c5_2);
            c5_3 = b3.fma(av, c5_3);
        }
        if (csC == 1 && nr == NR_f) {
            // full-width tile in a row-major C: vector stores, rows past mr skipped
            int o = cIdx;
            if (load) {
                c0_0 = c0_0.add(FloatVector.fromArray(S, c, o));
                c0_1 = c0_1.add(FloatVector.fromArray(S, c, o + l));
                c0_2 = c0_2.add(FloatVector.fromArray(S, c, o + 2 * l));
                c0_3 = c0_3.add(FloatVector.fromArray(S, c, o + 3 * l));
            }
            c0_0.intoArray(c, o);
            c0_1.intoArray(c, o + l);
            c0_2.intoArray(c, o + 2 * l);
            c0_3.intoArray(c, o + 3 * l);
            if (mr > 1) {
                o = cIdx + 1 * rsC;
                if (load) {
                    c1_0 = c1_0.add(FloatVector.fromArray(S, c, o));
                    c1_1 = c1_1.add(FloatVector.fromArray(S, c, o + l));
                    c1_2 = c1_2.add(FloatVector.fromArray(S, c, o + 2 * l));
                    c1_3 = c1_3.add(FloatVector.fromArray(S, c, o + 3 * l));
                }
                c1_0.intoArray(c, o);
                c1_1.intoArray(c, o + l);
                c1_2.intoArray(c, o + 2 * l);
                c1_3.intoArray(c, o + 3 * l);
            }
            if (mr > 2) {
                o = cIdx + 2 * rsC;
                if (load) {
                    c2_0 = c2_0.add(FloatVector.fromArray(S, c, o));
                    c2_1 = c2_1.add(FloatVector.fromArray(S, c, o + l));
                    c2_2 = c2_2.add(FloatVector.fromArray(S, c, o + 2 * l));
                    c2_3 = c2_3.add(FloatVector.fromArray(S, c, o + 3 * l));
                }
                c2_0.intoArray(c, o);
                c2_1.intoArray(c, o + l);
                c2_2.intoArray(c, o + 2 * l);
                c2_3.intoArray(c, o + 3 * l);
            }
            if (mr > 3) {
                o = cIdx + 3 * rsC;
                if (load) {
                    c3_0 = c3_0.add(FloatVector.fromArray(S, c, o));
                    c3_1 = c3_1.add(FloatVector.fromArray(S, c, o + l));
                    c3_2 = c3_2.add(FloatVector.fromArray(S, c, o + 2 * l));
                    c3_3 = c3_3.add(FloatVector.fromArray(S, c, o + 3 * l));
                }
                c3_0.intoArray(c, o);
                c3_1.intoArray(c, o + l);
                c3_2.intoArray(c, o + 2 * l);
                c3_3.intoArray(c, o + 3 * l);
            }
            if (mr > 4) {
                o = cIdx + 4 * rsC;
                if (load) {
                    c4_0 = c4_0.add(FloatVector.fromArray(S, c, o));
                    c4_1 = c4_1.add(FloatVector.fromArray(S, c, o + l));
                    c4_2 = c4_2.add(FloatVector.fromArray(S, c, o + 2 * l));
                    c4_3 = c4_3.add(FloatVector.fromArray(S, c, o + 3 * l));
                }
                c4_0.intoArray(c, o);
                c4_1.intoArray(c, o + l);
                c4_2.intoArray(c, o + 2 * l);
                c4_3.intoArray(c, o + 3 * l);
            }
            if (mr > 5) {
                o = cIdx + 5 * rsC;
                if (load) {
                    c5_0 = c5_0.add(FloatVector.fromArray(S, c, o));
                    c5_1 = c5_1.add(FloatVector.fromArray(S, c, o + l));
                    c5_2 = c5_2.add(FloatVector.fromArray(S, c, o + 2 * l));
                    c5_3 = c5_3.add(FloatVector.fromArray(S, c, o + 3 * l));
                }
                c5_0.intoArray(c, o);
                c5_1.intoArray(c, o + l);
                c5_2.intoArray(c, o + 2 * l);
                c5_3.intoArray(c, o + 3 * l);
            }
            return;
        }
        c0_0.intoArray(tmp, 0);
        c0_1.intoArray(tmp, 0 + l);
        c0_2.intoArray(tmp, 0 + 2 * l);
        c0_3.intoArray(tmp, 0 + 3 * l);
        c1_0.intoArray(tmp, 1 * NR_f);
        c1_1.intoArray(tmp, 1 * NR_f + l);
        c1_2.intoArray(tmp, 1 * NR_f + 2 * l);
        c1_3.intoArray(tmp, 1 * NR_f + 3 * l);
        c2_0.intoArray(tmp, 2 * NR_f);
        c2_1.intoArray(tmp, 2 * NR_f + l);
        c2_2.intoArray(tmp, 2 * NR_f + 2 * l);
        c2_3.intoArray(tmp, 2 * NR_f + 3 * l);
        c3_0.intoArray(tmp, 3 * NR_f);
        c3_1.intoArray(tmp, 3 * NR_f + l);
        c3_2.intoArray(tmp, 3 * NR_f + 2 * l);
        c3_3.intoArray(tmp, 3 * NR_f + 3 * l);
        c4_0.intoArray(tmp, 4 * NR_f);
        c4_1.intoArray(tmp, 4 * NR_f + l);
        c4_2.intoArray(tmp, 4 * NR_f + 2 * l);
        c4_3.intoArray(tmp, 4 * NR_f + 3 * l);
        c5_0.intoArray(tmp, 5 * NR_f);
        c5_1.intoArray(tmp, 5 * NR_f + l);
        c5_2.intoArray(tmp, 5 * NR_f + 2 * l);
        c5_3.intoArray(tmp, 5 * NR_f + 3 * l);
        for (int r = 0; r < mr; r++) {
            int row = cIdx + r * rsC, tr = r * NR_f;
            if (load) {
                for (int j = 0; j < nr; j++) {
                    c[row + j * csC] += tmp[tr + j];
                }
            } else {
                for (int j = 0; j < nr; j++) {
                    c[row + j * csC] = tmp[tr + j];
                }
            }
        }
    }

    // END-F32
    // ============================================================================ float64
    // float64 serves gradient checks and golden runs on small shapes, so it is kept simple:
    // op(A) and op(B) are copied row-major, then an i-p-j loop with DoubleVector rows of C.

    private static final VectorSpecies<Double> SPECIES_d = DoubleVector.SPECIES_PREFERRED;

    /** The float64 twin of {@link #sgemm}, same contract. */
    public static void dgemm(int batch, boolean ta, boolean tb, int m, int n, int k,
            double[] a, int aOff, int aStride, double[] b, int bOff, int bStride,
            double[] c, int cOff, int cStride, boolean accumulate) {
        if (batch < 0 || m < 0 || n < 0 || k < 0 || aStride < 0 || bStride < 0 || cStride < 0) {
            throw new IllegalArgumentException("negative size or stride");
        }
        if (batch == 0 || m == 0 || n == 0) {
            return;
        }
        double[] opA = new double[m * k];
        double[] opB = new double[k * n];
        for (int q = 0; q < batch; q++) {
            int ao = aOff + q * aStride;
            int bo = bOff + q * bStride;
            int co = cOff + q * cStride;
            Objects.checkFromIndexSize(ao, m * k, a.length);
            Objects.checkFromIndexSize(bo, k * n, b.length);
            Objects.checkFromIndexSize(co, m * n, c.length);
            for (int i = 0; i < m; i++) {
                for (int p = 0; p < k; p++) {
                    opA[i * k + p] = ta ? a[ao + p * m + i] : a[ao + i * k + p];
                }
            }
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    opB[p * n + j] = tb ? b[bo + j * k + p] : b[bo + p * n + j];
                }
            }
            boolean keep = accumulate || (cStride == 0 && q > 0); // a shared C sums the batch
            for (int i = 0; i < m; i++) {
                int row = co + i * n;
                if (!keep) {
                    Arrays.fill(c, row, row + n, 0.0);
                }
                for (int p = 0; p < k; p++) {
                    double aip = opA[i * k + p];
                    int bRow = p * n;
                    int j = 0;
                    for (int upper = SPECIES_d.loopBound(n); j < upper; j += SPECIES_d.length()) {
                        DoubleVector.fromArray(SPECIES_d, opB, bRow + j).mul(aip)
                                .add(DoubleVector.fromArray(SPECIES_d, c, row + j)).intoArray(c, row + j);
                    }
                    for (; j < n; j++) {
                        c[row + j] += aip * opB[bRow + j];
                    }
                }
            }
        }
    }

}
