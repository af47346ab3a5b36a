package gradncp.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import gradncp.nn.Params;
import gradncp.nn.Decoder;
import gradncp.run.Evaluator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The evaluation report: for each init (checkpoints plus the decoder's random init as a baseline),
 * the {@code gradncp eval} numbers and per-step analyses of its test-time adaptation, written
 * as one self-contained HTML page (figures embedded as PNG data URIs), the same figures as PNG
 * files, and every number in report.json. The measurements (see {@link Trajectory}):
 * <ol>
 *   <li>results: {@link Evaluator#evaluate}, so the numbers equal {@code eval --json};
 *   <li>PSNR per adaptation step, plain and rescaled (all signals);
 *   <li>reconstructions at steps 0, 1, 4, K and the error at K (first signals, each method's own
 *       protocol: rescaled for GradNCP, plain otherwise);
 *   <li>the kept context per step of the rescaled adaptation and its share of detail elements;
 *   <li>Spearman correlation of the GradNCP score with the per-element full-network gradient norm;
 *   <li>global gradient norms on the full and on the pruned context along the plain adaptation.
 * </ol>
 * Modality-specific pieces come from {@link ReportSignals}.
 */
public final class Report {
    static final String TEMPLATE = "/gradncp/report/report.html";
    /** The LPIPS cell: no AlexNet-LPIPS weights ship with gradncp. */
    static final String LPIPS = "unavailable: no weights file";
    /** The LPIPS field of report.json, worded exactly as {@code eval --json} words it. */
    static final String LPIPS_JSON = "LPIPS " + LPIPS;

    /** One init to report: a label, its method name, where it came from, and its test protocol. */
    public record Method(String label, String method, String source, Decoder decoder, Params theta0,
            Evaluator.Protocol protocol) {
        boolean gradncp() {
            return method.equalsIgnoreCase("gradncp");
        }
    }

    /** Settings: eval batching, seed of the element subsample, signals in the grid and correlation elements. */
    public record Options(int batch, long seed, int gridSignals, int corrPoints, String dataLabel) {}

    /** Everything measured for one method (arrays are per step; see the page for definitions). */
    record Measured(Method m, Evaluator.Result plain, Evaluator.Result rescaled, double[] psnrPlain,
            double[] psnrRescaled, double[] detailShare, double[] spearmanScore, double[] spearmanError,
            double[] normFull, double[] normPruned, Map<Integer, float[][]> snapshots, int[][] kept) {}

    private Report() {}

    /** Measures every method on the signals and writes report.html, report.json and the PNGs into out. */
    public static Path write(List<Method> methods, ReportSignals signals, Options opt, Path out, PrintWriter log)
            throws IOException {
        if (methods.isEmpty() || signals.size() == 0) {
            throw new IllegalArgumentException("the report needs at least one init and one test signal, got "
                    + methods.size() + " and " + signals.size());
        }
        Files.createDirectories(out);
        List<Measured> all = new ArrayList<>();
        for (Method m : methods) {
            Evaluator.Result[] t = evaluate(m, signals, opt, log);
            log.printf("report: analysing the adaptation of %s%n", m.label());
            log.flush();
            all.add(measure(m, t[0], t[1], signals, opt));
        }
        Map<String, byte[]> figures = Figures.all(all, signals, opt);
        for (var f : figures.entrySet()) {
            Files.write(out.resolve(f.getKey()), f.getValue());
        }
        Map<String, Object> json = Summary.json(all, signals, opt, figures.keySet());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("report.json").toFile(),
                json);
        Path html = out.resolve("report.html");
        Files.writeString(html, Template.render(template(), Summary.page(all, signals, opt, figures, json)));
        log.printf("report: wrote %s (figures and report.json next to it)%n", html);
        log.flush();
        return html;
    }

    /** The eval numbers of one init: {plain, rescaled}, as {@code gradncp eval} computes them. */
    static Evaluator.Result[] evaluate(Method m, ReportSignals signals, Options opt, PrintWriter log) {
        log.printf("report: evaluating %s (%s)%n", m.label(), m.source());
        log.flush();
        return new Evaluator.Result[] {signals.evaluate(m.decoder(), m.theta0(), m.protocol(), false, opt.batch()),
            signals.evaluate(m.decoder(), m.theta0(), m.protocol(), true, opt.batch())};
    }

    /** The per-step analyses of one init (see the class comment). */
    static Measured measure(Method m, Evaluator.Result plain, Evaluator.Result rescaled, ReportSignals signals,
            Options opt) {
        Evaluator.Protocol p = m.protocol();
        int k = p.steps();
        TreeSet<Integer> snapSteps = new TreeSet<>(List.of(0, 1, 4, k));
        snapSteps.removeIf(s -> s > k);
        int[] corr = subsample(signals.elements(), opt.corrPoints(), opt.seed());
        List<double[]> psnrPlain = new ArrayList<>();
        List<double[]> psnrResc = new ArrayList<>();
        List<double[]> share = new ArrayList<>();
        Trajectory.Trace firstPlain = null;
        Trajectory.Trace firstResc = null;
        for (int from = 0; from < signals.size(); from += opt.batch()) {
            int n = Math.min(opt.batch(), signals.size() - from);
            boolean first = from == 0;
            boolean[][] detail = new boolean[n][];
            for (int b = 0; b < n; b++) {
                detail[b] = signals.detail(from + b);
            }
            var snaps = first ? snapSteps : java.util.Set.<Integer>of();
            Trajectory.Trace tp = Trajectory.run(m.decoder(), m.theta0(), signals, from, n, p, false,
                    new Trajectory.Probes(snaps, opt.gridSignals(), first, null, null));
            Trajectory.Trace tr = Trajectory.run(m.decoder(), m.theta0(), signals, from, n, p, true,
                    new Trajectory.Probes(snaps, opt.gridSignals(), false, first ? corr : null, detail));
            psnrPlain.addAll(List.of(tp.psnr()));
            psnrResc.addAll(List.of(tr.psnr()));
            if (tr.detailShare() != null) {
                share.addAll(List.of(tr.detailShare()));
            }
            if (first) {
                firstPlain = tp;
                firstResc = tr;
            }
        }
        Trajectory.Trace own = m.gradncp() ? firstResc : firstPlain;
        return new Measured(m, plain, rescaled, Stats.columnMeans(psnrPlain.toArray(double[][]::new)),
                Stats.columnMeans(psnrResc.toArray(double[][]::new)),
                share.isEmpty() ? new double[k] : Stats.columnMeans(share.toArray(double[][]::new)),
                firstResc.spearmanScore(), firstResc.spearmanError(),
                k == 0 ? new double[0] : Stats.columnMeans(firstPlain.normFull()),
                k == 0 ? new double[0] : Stats.columnMeans(firstPlain.normPruned()), own.snapshots(),
                firstResc.keptOfSignal0());
    }

    /** min(count, n) distinct element indices, ascending, drawn with the seed. */
    static int[] subsample(int n, int count, long seed) {
        int k = Math.min(n, count);
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] out = java.util.Arrays.copyOf(perm, k);
        java.util.Arrays.sort(out);
        return out;
    }

    static String template() throws IOException {
        try (InputStream in = Report.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IOException("report template " + TEMPLATE + " missing from the classpath; rebuild the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
