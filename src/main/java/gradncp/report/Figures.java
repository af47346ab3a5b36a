package gradncp.report;

import gradncp.report.Charts.Marker;
import gradncp.report.Charts.Series;
import gradncp.report.Pictures.Cell;
import gradncp.report.Pictures.Row;
import gradncp.report.Report.Measured;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The report's figures as PNG bytes, by file name, in page order. */
final class Figures {
    static final String PSNR = "psnr_vs_step.png";
    static final String GRID = "reconstructions.png";
    static final String MASKS = "context_masks.png";
    static final String SHARE = "detail_share.png";
    static final String SPEARMAN = "spearman.png";
    static final String NORMS = "grad_norms.png";
    /** Displayed size of one picture in the grids. */
    static final int CELL = 112;
    static final int MASK_COLUMNS = 8;
    /** Width (px) the pictures of one row of the mask figure may take, so that wide pictures wrap sooner. */
    static final int MASKS_WIDTH = 940;

    private Figures() {}

    static Map<String, byte[]> all(List<Measured> all, ReportSignals signals, Report.Options opt) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        out.put(PSNR, psnr(all));
        out.put(GRID, Pictures.png(reconstructions(all, signals, opt)));
        out.put(MASKS, Pictures.png(masks(Summary.focus(all), signals)));
        out.put(SHARE, share(all, signals));
        out.put(SPEARMAN, spearman(all, signals, opt));
        out.put(NORMS, norms(all));
        return out;
    }

    static byte[] psnr(List<Measured> all) {
        List<Series> s = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            s.add(new Series(all.get(i).m().label() + " plain", all.get(i).psnrPlain(), i, true));
            s.add(new Series(all.get(i).m().label() + " rescaled", all.get(i).psnrRescaled(), i, false));
        }
        return Charts.lines("Test PSNR vs adaptation step (mean over signals)", "step", "PSNR (dB)", 0, s, false,
                null);
    }

    /** Per signal and method: ground truth, steps 0/1/4/K, and |error| at K (channel mean, 0..0.5 scale). */
    static BufferedImage reconstructions(List<Measured> all, ReportSignals signals, Report.Options opt) {
        List<Row> rows = new ArrayList<>();
        for (int s = 0; s < Math.min(opt.gridSignals(), signals.size()); s++) {
            float[] target = signals.target(s);
            for (Measured m : all) {
                List<Cell> cells = new ArrayList<>();
                cells.add(new Cell("ground truth", signals.picture(target)));
                int last = -1;
                for (var e : new java.util.TreeMap<>(m.snapshots()).entrySet()) {
                    cells.add(new Cell("step " + e.getKey(), signals.picture(e.getValue()[s])));
                    last = e.getKey();
                }
                cells.add(new Cell("|error| step " + last, signals.errorMap(m.snapshots().get(last)[s], target, 0.5)));
                rows.add(new Row("#" + s + " " + m.m().label(), cells));
            }
        }
        return Pictures.grid(rows, CELL);
    }

    /** Signal 0 of the focus init: target, detail region, then the kept elements at every step. */
    static BufferedImage masks(Measured focus, ReportSignals signals) {
        float[] target = signals.target(0);
        boolean[] detail = signals.detail(0);
        double[] d = new double[detail.length];
        for (int p = 0; p < d.length; p++) {
            d[p] = detail[p] ? 1 : 0;
        }
        List<Cell> cells = new ArrayList<>();
        cells.add(new Cell("target", signals.picture(target)));
        cells.add(new Cell("detail region", signals.heatMap(d, 1)));
        int[][] kept = focus.kept();
        for (int k = 0; kept != null && k < kept.length; k++) {
            if (kept[k] != null) {
                cells.add(new Cell("step " + k, signals.keptOverlay(target, kept[k])));
            }
        }
        int columns = Math.clamp(MASKS_WIDTH / (Pictures.scaledWidth(cells.get(0).image(), CELL) + Pictures.PAD), 1,
                MASK_COLUMNS);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < cells.size(); i += columns) {
            rows.add(new Row(i == 0 ? focus.m().label() : "", cells.subList(i, Math.min(cells.size(),
                    i + columns))));
        }
        return Pictures.grid(rows, CELL);
    }

    static byte[] share(List<Measured> all, ReportSignals signals) {
        List<Series> s = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            s.add(new Series(all.get(i).m().label(), all.get(i).detailShare(), i, false));
        }
        String plural = signals.elementName() + "s";
        return Charts.lines("Share of the kept context in detail regions (rescaled adaptation)", "step",
                "share of kept " + plural, 0, s, false, new Marker(Summary.detailFraction(signals),
                        "all " + plural + " (chance)"));
    }

    static byte[] spearman(List<Measured> all, ReportSignals signals, Report.Options opt) {
        List<Series> s = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            s.add(new Series(all.get(i).m().label() + " GradNCP score", all.get(i).spearmanScore(), i, false));
            s.add(new Series(all.get(i).m().label() + " error only", all.get(i).spearmanError(), i, true));
        }
        String e = signals.elementName();
        return Charts.lines("Spearman: score vs full-network per-" + e + " gradient norm ("
                + Math.min(opt.corrPoints(), signals.elements()) + " " + e + "s)", "step", "Spearman rho", 0, s, false,
                null);
    }

    static byte[] norms(List<Measured> all) {
        List<Series> s = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            s.add(new Series(all.get(i).m().label() + " pruned context", all.get(i).normPruned(), i, false));
            s.add(new Series(all.get(i).m().label() + " full context", all.get(i).normFull(), i, true));
        }
        return Charts.lines("Global gradient norm along plain full-context adaptation", "step", "||g||", 0, s,
                true, null);
    }
}
