package gradncp.report;

import gradncp.nn.Decoder;
import gradncp.report.Report.Measured;
import gradncp.run.Evaluator;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The report's numbers: report.json, the three seed claims, and the values of the page template. */
final class Summary {
    /** PSNR gaps (dB) below this are no difference between protocols: a verdict needs more. */
    static final double SAME_DB = 0.01;

    private Summary() {}

    /** The init the single-signal figures and the claims are about: the first GradNCP one, else the first checkpoint. */
    static Measured focus(List<Measured> all) {
        return all.stream().filter(m -> m.m().gradncp()).findFirst().orElse(all.get(all.size() > 1 ? 1 : 0));
    }

    /** The random-init baseline (the first entry by construction), or null if absent. */
    static Measured random(List<Measured> all) {
        return all.stream().filter(m -> m.m().method().equals("random")).findFirst().orElse(null);
    }

    /** Fraction of all elements (of all signals) that are detail elements: the share a random selection has. */
    static double detailFraction(ReportSignals signals) {
        long hits = 0;
        for (int i = 0; i < signals.size(); i++) {
            for (boolean d : signals.detail(i)) {
                hits += d ? 1 : 0;
            }
        }
        return hits / (double) ((long) signals.size() * signals.elements());
    }

    /** The fields of {@code gradncp eval --json}, with the same names and values. */
    static Map<String, Object> evalFields(Measured m, int signals) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("checkpoint", m.m().source());
        o.put("method", m.m().method());
        o.put("n_signals", signals);
        o.put("steps", m.m().protocol().steps());
        o.put("psnr_plain", m.plain().psnr().mean());
        o.put("psnr_plain_stderr", m.plain().psnr().stderr());
        o.put("psnr_rescaled", m.rescaled().psnr().mean());
        o.put("psnr_rescaled_stderr", m.rescaled().psnr().stderr());
        o.put("ssim_plain", m.plain().ssim().mean());
        o.put("ssim_plain_stderr", m.plain().ssim().stderr());
        o.put("ssim_rescaled", m.rescaled().ssim().mean());
        o.put("ssim_rescaled_stderr", m.rescaled().ssim().stderr());
        o.put("ms_per_signal_plain", m.plain().msPerSignal());
        o.put("ms_per_signal_rescaled", m.rescaled().msPerSignal());
        o.put("lpips", Report.LPIPS_JSON);
        return o;
    }

    static Map<String, Object> json(List<Measured> all, ReportSignals signals, Report.Options opt,
            Set<String> figures) {
        Map<String, Object> root = new LinkedHashMap<>();
        Measured focus = focus(all);
        Evaluator.Protocol p = focus.m().protocol();
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("data", opt.dataLabel());
        settings.put("n_signals", signals.size());
        settings.put("steps", p.steps());
        settings.put("lr", p.lr());
        settings.put("context_ratio", p.contextRatio());
        settings.put("batch", opt.batch());
        settings.put("seed", opt.seed());
        settings.put("decoder", focus.m().decoder().tag());
        settings.put("element", signals.elementName());
        settings.put("correlation_points", Math.min(opt.corrPoints(), signals.elements()));
        settings.put("grid_signals", Math.min(opt.gridSignals(), signals.size()));
        settings.put("detail_rule", signals.detailRule());
        settings.put("detail_fraction", detailFraction(signals));
        settings.put("focus", focus.m().label());
        root.put("settings", settings);
        List<Map<String, Object>> methods = new ArrayList<>();
        for (Measured m : all) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("label", m.m().label());
            o.put("results", evalFields(m, signals.size()));
            o.put("psnr_per_step_plain", m.psnrPlain());
            o.put("psnr_per_step_rescaled", m.psnrRescaled());
            o.put("detail_share_per_step", m.detailShare());
            o.put("spearman_gradncp_score_per_step", m.spearmanScore());
            o.put("spearman_error_only_per_step", m.spearmanError());
            o.put("grad_norm_full_per_step", m.normFull());
            o.put("grad_norm_pruned_per_step", m.normPruned());
            methods.add(o);
        }
        root.put("methods", methods);
        root.put("claims", claims(all, signals));
        root.put("figures", List.copyOf(figures));
        return root;
    }

    /** The three claims of the paper (ALGORITHM.md, Paper), each with its measure, values and what this run shows. */
    static List<Map<String, Object>> claims(List<Measured> all, ReportSignals signals) {
        Measured f = focus(all);
        Measured r = random(all);
        List<Map<String, Object>> out = new ArrayList<>();
        String e = signals.elementName();
        double[] share = f.detailShare();
        int k = share.length;
        if (k >= 2) {
            double trend = Stats.spearman(Stats.steps(k), share);
            boolean later = share[k - 1] > share[0] && trend > 0;
            out.add(claim("GradNCP selects the global shape first and high-frequency detail later",
                    "share of kept " + e + "s in detail regions, step 0 -> step " + (k - 1) + " (" + f.m().label()
                            + ", rescaled adaptation, mean over signals); chance = " + fmt(detailFraction(signals)),
                    fmt(share[0]) + " -> " + fmt(share[k - 1]) + ", Spearman(step, share) = "
                            + (Double.isNaN(trend) ? "n/a (the share does not change)" : fmt(trend)),
                    later ? "consistent: the kept context moves towards detail" : "not observed in this run"));
        }
        if (r != null && r != f && f.spearmanScore().length > 0) {
            double meta = Stats.mean(f.spearmanScore());
            double rand = Stats.mean(r.spearmanScore());
            out.add(claim("The last-layer gradient norm correlates highly with the full-network one, and "
                            + "meta-learning raises the correlation",
                    "Spearman rho of GradNCP score vs per-" + e + " gradient norm over all parameters, mean over steps",
                    f.m().label() + " " + fmt(meta) + " vs random init " + fmt(rand),
                    (meta > rand ? "higher after meta-learning" : "not higher after meta-learning")
                            + (meta >= 0.8 ? "; high" : "; not high (< 0.8)")));
        }
        if (f.normFull().length > 0) {
            double[] ratio = new double[f.normFull().length];
            for (int i = 0; i < ratio.length; i++) {
                ratio[i] = f.normPruned()[i] / (f.normFull()[i] + 1e-16);
            }
            double plain = f.plain().psnr().mean();
            double resc = f.rescaled().psnr().mean();
            out.add(claim("Without test-time rescaling, full-context adaptation of a GradNCP model degrades "
                            + "(the full-context gradient norm is much smaller)",
                    "||g_pruned|| / ||g_full|| along plain adaptation (mean over steps); final PSNR plain vs rescaled",
                    "ratio " + fmt(Stats.mean(ratio)) + "; PSNR plain " + fmt(plain) + " dB vs rescaled "
                            + fmt(resc) + " dB",
                    resc - plain > SAME_DB ? "consistent: rescaled beats plain by " + fmt(resc - plain) + " dB"
                            : resc - plain < -SAME_DB ? "not observed: plain is better by " + fmt(plain - resc) + " dB"
                            : "not observed: plain and rescaled are within " + SAME_DB + " dB"));
        }
        return out;
    }

    private static Map<String, Object> claim(String claim, String measure, String value, String verdict) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("claim", claim);
        m.put("measure", measure);
        m.put("value", value);
        m.put("verdict", verdict);
        return m;
    }

    /** The values of the page template (report.html). */
    static Map<String, Object> page(List<Measured> all, ReportSignals signals, Report.Options opt,
            Map<String, byte[]> figures, Map<String, Object> json) {
        Map<String, Object> v = new LinkedHashMap<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> settings = (Map<String, Object>) json.get("settings");
        v.put("generated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        v.put("data", opt.dataLabel());
        settings.forEach((key, value) -> v.put(key, value instanceof Double d ? fmt(d) : value.toString()));
        int k = all.get(0).m().protocol().steps();
        v.put("elements", signals.elementName() + "s");
        v.put("score_formula", scoreFormula(focus(all).m().decoder()));
        v.put("picture_note", signals.pictureNote());
        v.put("last_step", Integer.toString(Math.max(0, k - 1)));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Measured m : all) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("label", m.m().label());
            row.put("source", m.m().source());
            row.put("psnr_plain", pm(m.plain().psnr(), 2));
            row.put("psnr_rescaled", pm(m.rescaled().psnr(), 2));
            row.put("ssim_plain", pm(m.plain().ssim(), 4));
            row.put("ssim_rescaled", pm(m.rescaled().ssim(), 4));
            row.put("ms_plain", String.format(Locale.ROOT, "%.1f", m.plain().msPerSignal()));
            row.put("ms_rescaled", String.format(Locale.ROOT, "%.1f", m.rescaled().msPerSignal()));
            row.put("lpips", Report.LPIPS);
            rows.add(row);
        }
        v.put("results", rows);
        v.put("claims", json.get("claims"));
        figures.forEach((name, png) -> v.put("fig_" + name.replace(".png", ""),
                "data:image/png;base64," + Base64.getEncoder().encodeToString(png)));
        return v;
    }

    /** GradNCP's per-element score of a decoder, as a formula for the page (see each decoder's scores()). */
    static String scoreFormula(Decoder decoder) {
        return switch (decoder.tag()) {
            case "siren" -> "||e||·sqrt(||φ||²+1), the last layer's gradient norm";
            case "nerv" -> "||(y−f)(1−tanh²z)||·||φ||, a bound on the head's gradient norm over a frame";
            default -> "the last-layer gradient score of " + decoder.tag();
        };
    }

    private static String pm(Evaluator.Stat s, int digits) {
        return String.format(Locale.ROOT, "%." + digits + "f ± %." + digits + "f", s.mean(), s.stderr());
    }

    static String fmt(double x) {
        return String.format(Locale.ROOT, "%.3f", x);
    }
}
