import gradncp.config.MetaConfig;
import gradncp.config.MetaConfig.Selection;
import gradncp.data.ClassDatasets;
import gradncp.data.ClassSplit;
import gradncp.data.Episodes;
import gradncp.data.LabelledImages;
import gradncp.meta.Context;
import gradncp.meta.InnerLoop;
import gradncp.nn.Batch;
import gradncp.nn.Conv4;
import gradncp.nn.Conv4Spec;
import gradncp.nn.Decoder;
import gradncp.nn.Elements;
import gradncp.nn.Params;
import gradncp.run.Checkpoint;
import gradncp.run.EpisodeEvaluator;
import gradncp.run.EpisodeTrainer;
import gradncp.tensor.Autodiff;
import gradncp.tensor.DType;
import gradncp.tensor.Memory;
import gradncp.tensor.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Issue 16 diagnostic (not part of the build): why does gradncp's pruned inner loop adapt worse
 * than maml's full one on the glyph episodes? For a few meta-val episodes and one init (a
 * checkpoint, or "init" for the seed-0 random init of a config), prints
 * - the kept set (the 25% highest GradNCP scores): per-class counts, the misclassified share, and
 *   how much of it ||phi|| alone or the error alone would pick;
 * - the norms and cosine of the pruned-mean and full-mean support-loss gradients;
 * - the query cross-entropy and accuracy after K plain steps under several contexts and lrs.
 * Run: java -cp JAR:LIB/* scripts/ClassifyProbe.java CHECKPOINT|init WAYS SHOTS EPISODES [K]
 */
public class ClassifyProbe {
    public static void main(String[] a) throws Exception {
        int ways = Integer.parseInt(a[1]);
        int shots = Integer.parseInt(a[2]);
        int episodes = Integer.parseInt(a[3]);
        int k = a.length > 4 ? Integer.parseInt(a[4]) : 2;
        MetaConfig cfg = MetaConfig.defaults().withOverrides(List.of("modality=classification", "decoder=conv4",
                "data=builtin:glyphs", "channels=1", "resolution=16", "width=16", "queries=15", "ways=" + ways,
                "shots=" + shots));
        LabelledImages data = ClassDatasets.load("builtin:glyphs", 16, 1, cfg.seed());
        Decoder dec;
        Params theta;
        if (a[0].equals("init")) {
            dec = EpisodeTrainer.decoderOf(cfg, data);
            theta = dec.init(cfg.seed(), DType.F32);
        } else {
            Checkpoint.Loaded c = Checkpoint.load(Path.of(a[0]), null, DType.F32);
            dec = c.decoder();
            theta = c.params();
        }
        Conv4Spec spec = (Conv4Spec) dec;
        Episodes val = EpisodeTrainer.episodes(cfg, data, ClassSplit.Part.VAL);
        int n = ways * shots;
        int keep = Context.keep(n, 0.25);
        String[] names = {"full lr.05", "gradncp lr.05", "gradncp lr.1", "gradncp lr.2", "gradncp-x4steps lr.05",
            "class-balanced lr.05", "random lr.05", "full lr.1", "gradncp rescaled-to-full-norm lr.05"};
        double[][] ce = new double[names.length][episodes];
        double[][] acc = new double[names.length][episodes];
        double[] q0 = new double[episodes];
        System.out.printf("%s, %d-way %d-shot, keep %d of %d, K=%d, %d meta-val episodes%n", a[0], ways, shots, keep,
                n, k, episodes);
        for (int e = 0; e < episodes; e++) {
            Batch b = val.batch(cfg.seed() + EpisodeTrainer.EVAL_SEED, e, 1, DType.F32);
            Params p0 = theta.perSignal(1);
            int[] labels = labels(b, ways);
            // scores, error and phi norms at the init
            float[] score = Context.scores(dec, p0, b, true);
            float[] err = Context.scores(dec, p0, b, false);
            double[] phi = phiNorms(spec, p0, b);
            int[] kept = Context.select(dec, p0, b, Selection.GRADNCP, 0.25, new SplittableRandom(0))[0];
            int[] counts = new int[ways];
            int wrong = 0;
            for (int i : kept) {
                counts[labels[i]]++;
                wrong += err[i] > Math.sqrt(0.5) ? 1 : 0; // ||p - y|| > 1/sqrt2 implies p_y < 1/2
            }
            int[] byPhi = topK(phi, keep);
            int[] byErr = topK(toDouble(err), keep);
            Arrays.sort(counts);
            double[] logs = new double[n], logf = new double[n], loge = new double[n];
            for (int i = 0; i < n; i++) {
                logs[i] = Math.log(score[i]);
                logf[i] = Math.log(Math.sqrt(phi[i] * phi[i] + 1));
                loge[i] = Math.log(err[i]);
            }
            System.out.printf("ep %d: kept per class %s; p_y<1/2 in kept %d/%d; overlap with top-by-phi %.2f,"
                    + " top-by-error %.2f; var log score %.4f = var log phi' %.4f + var log err %.4f + 2cov;"
                    + " phi norm mean %.2f cv %.3f, err mean %.3f cv %.3f%n", e, Arrays.toString(counts), wrong, keep,
                    overlap(kept, byPhi), overlap(kept, byErr), var(logs), var(logf), var(loge), mean(phi),
                    Math.sqrt(var(phi)) / mean(phi), mean(toDouble(err)), Math.sqrt(var(toDouble(err)))
                            / mean(toDouble(err)));
            // gradient norms of the pruned-mean and full-mean support losses
            List<Tensor> gFull = InnerLoop.fullGradient(dec, p0.detach().param(), b).grads();
            Params pk = p0.detach().param();
            List<Tensor> gPr = pk.grad(InnerLoop.contextLoss(dec, pk, b, new int[][] {kept}).sum(),
                    Autodiff.Mode.DETACHED);
            double nf = Params.globalNorm(gFull).toDoubleArray()[0];
            double np = Params.globalNorm(gPr).toDoubleArray()[0];
            double dot = 0;
            for (int i = 0; i < gFull.size(); i++) {
                dot += gFull.get(i).mul(gPr.get(i)).sum().item();
            }
            double headShare = Math.sqrt(sq(gPr.get(gPr.size() - 2)) + sq(gPr.get(gPr.size() - 1))) / np;
            double fullLoss = InnerLoop.contextLoss(dec, p0.detach(), b, null).item();
            double keptLoss = InnerLoop.contextLoss(dec, p0.detach(), b, new int[][] {kept}).item();
            q0[e] = queryCe(dec, p0, b);
            System.out.printf("  ||g_full|| %.4f ||g_pruned|| %.4f ratio %.2f cos %.3f (head share of ||g_pruned||"
                    + " %.2f); support CE full %.4f kept %.4f; query CE before %.4f%n", nf, np, np / nf,
                    dot / (nf * np), headShare, fullLoss, keptLoss, q0[e]);
            // adaptation under several contexts
            SplittableRandom rng = new SplittableRandom(e);
            List<Function<Params, int[][]>> ctx = new ArrayList<>();
            Function<Params, int[][]> full = p -> null;
            Function<Params, int[][]> top = p -> Context.select(dec, p, b, Selection.GRADNCP, 0.25, rng);
            Function<Params, int[][]> bal = p -> new int[][] {balanced(Context.scores(dec, p, b, true), labels, ways,
                    keep)};
            Function<Params, int[][]> rnd = p -> Context.select(dec, p, b, Selection.RANDOM, 0.25, rng);
            Object[][] runs = {{full, 0.05, k, false}, {top, 0.05, k, false}, {top, 0.1, k, false},
                {top, 0.2, k, false}, {top, 0.05, 4 * k, false}, {bal, 0.05, k, false}, {rnd, 0.05, k, false},
                {full, 0.1, k, false}, {top, 0.05, k, true}};
            for (int r = 0; r < runs.length; r++) {
                @SuppressWarnings("unchecked")
                Function<Params, int[][]> sel = (Function<Params, int[][]>) runs[r][0];
                Params p = adapt(dec, p0, b, sel, (double) runs[r][1], (int) runs[r][2], (boolean) runs[r][3]);
                ce[r][e] = queryCe(dec, p, b);
                acc[r][e] = EpisodeEvaluator.accuracy(dec, p, b.outer())[0];
            }
        }
        System.out.printf("mean over %d episodes: query CE before adaptation %.4f%n", episodes, mean(q0));
        for (int r = 0; r < names.length; r++) {
            System.out.printf("  %-38s query CE %.4f  acc %.2f%%%n", names[r], mean(ce[r]), 100 * mean(acc[r]));
        }
    }

    /** K plain steps on the selected context; normalise: step along g_context scaled to ||g_full||. */
    static Params adapt(Decoder dec, Params start, Batch b, Function<Params, int[][]> sel, double lr, int steps,
            boolean normalise) {
        Params p = start;
        for (int s = 0; s < steps; s++) {
            int[][] ctx = sel.apply(p);
            try (Memory.Scope scope = Memory.scope()) {
                Params q = p.detach().param();
                List<Tensor> g = ctx == null ? InnerLoop.fullGradient(dec, q, b).grads()
                        : q.grad(InnerLoop.contextLoss(dec, q, b, ctx).sum(), Autodiff.Mode.DETACHED);
                double scale = 1;
                if (normalise) {
                    double full = Params.globalNorm(InnerLoop.fullGradient(dec, q, b).grads()).toDoubleArray()[0];
                    scale = full / Params.globalNorm(g).toDoubleArray()[0];
                }
                double[] sc = {scale};
                p = Autodiff.noGrad(() -> q.minusScaled(lr, g, sc)).keep(scope);
            }
        }
        return p;
    }

    static double queryCe(Decoder dec, Params p, Batch b) {
        Batch q = b.outer();
        return Autodiff.noGrad(() -> dec.loss(dec.forward(p.detach(), q, Elements.all(q.points())),
                q.targets(Elements.all(q.points())))).item();
    }

    static int[] labels(Batch b, int ways) {
        double[] v = b.values().toDoubleArray();
        int[] out = new int[v.length / ways];
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < ways; j++) {
                if (v[i * ways + j] > 0.5) {
                    out[i] = j;
                }
            }
        }
        return out;
    }

    static double[] phiNorms(Conv4Spec spec, Params p, Batch b) {
        double[] phi = Autodiff.noGrad(() -> Conv4.features(spec, p.detach(), b.inputs(Elements.all(b.points())))
                .phi().square().sum(false, 2).sqrt()).toDoubleArray();
        return phi;
    }

    /** The keep/ways highest scores of every class (ties by index), the remainder by overall score. */
    static int[] balanced(float[] score, int[] labels, int ways, int keep) {
        int per = keep / ways;
        List<Integer> out = new ArrayList<>();
        boolean[] taken = new boolean[score.length];
        for (int c = 0; c < ways; c++) {
            final int cls = c;
            Integer[] idx = new Integer[score.length];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            Integer[] mine = Arrays.stream(idx).filter(i -> labels[i] == cls)
                    .sorted((x, y) -> Float.compare(score[y], score[x])).toArray(Integer[]::new);
            for (int i = 0; i < per && i < mine.length; i++) {
                out.add(mine[i]);
                taken[mine[i]] = true;
            }
        }
        int[] rest = topK(toDouble(score), score.length);
        for (int i = rest.length - 1; i >= 0 && out.size() < keep; i--) {
            if (!taken[rest[i]]) {
                out.add(rest[i]);
            }
        }
        return out.stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /** Indices of the k largest values, in ascending order of value. */
    static int[] topK(double[] v, int k) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (x, y) -> Double.compare(v[x], v[y]));
        int[] out = new int[k];
        for (int i = 0; i < k; i++) {
            out[i] = idx[v.length - k + i];
        }
        return out;
    }

    static double overlap(int[] x, int[] y) {
        java.util.Set<Integer> s = new java.util.HashSet<>();
        for (int i : x) {
            s.add(i);
        }
        int c = 0;
        for (int i : y) {
            c += s.contains(i) ? 1 : 0;
        }
        return (double) c / x.length;
    }

    static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static double sq(Tensor t) {
        return t.square().sum().item();
    }

    static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    static double var(double[] v) {
        double m = mean(v);
        return Arrays.stream(v).map(x -> (x - m) * (x - m)).average().orElse(Double.NaN);
    }
}
