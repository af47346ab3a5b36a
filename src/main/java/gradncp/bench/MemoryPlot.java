package gradncp.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The memory-vs-resolution figure as a PNG (JFreeChart), with the budget as a horizontal line. */
public final class MemoryPlot {
    private MemoryPlot() {}

    public static void write(Path png, List<MemoryBench.Row> rows, long budget) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (MemoryBench.Row r : rows) {
            String name = r.method() + " K=" + r.innerSteps() + (r.contextRatio() < 1 ? " gamma=" + r.contextRatio() : " full");
            XYSeries s = series.computeIfAbsent(name, XYSeries::new);
            if (r.fits()) {
                s.add(r.res(), r.peakEngineBytes() / (double) (1L << 30));
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        series.values().forEach(data::addSeries);
        JFreeChart chart = ChartFactory.createXYLineChart("Peak meta-training memory per signal (one outer step)",
                "resolution (pixels per side)", "peak engine memory (GiB)", data, PlotOrientation.VERTICAL, true,
                false, false);
        LogAxis y = new LogAxis("peak engine memory (GiB, log scale)");
        y.setBase(2);
        y.setNumberFormatOverride(new java.text.DecimalFormat("0.###"));
        y.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(1));
        double lo = rows.stream().filter(MemoryBench.Row::fits).mapToDouble(r -> r.peakEngineBytes()).min().orElse(1 << 20);
        y.setRange(lo / (double) (1L << 30) / 1.5, budget / (double) (1L << 30) * 1.5);
        chart.getXYPlot().setRangeAxis(y);
        chart.getXYPlot().setBackgroundPaint(java.awt.Color.WHITE);
        chart.getXYPlot().setRangeGridlinePaint(java.awt.Color.LIGHT_GRAY);
        chart.getXYPlot().setDomainGridlinePaint(java.awt.Color.LIGHT_GRAY);
        var renderer = new org.jfree.chart.renderer.xy.XYLineAndShapeRenderer(true, true);
        chart.getXYPlot().setRenderer(renderer);
        ValueMarker m = new ValueMarker(budget / (double) (1L << 30));
        m.setLabel("budget (configurations above it: out of memory)");
        m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
        m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_LEFT);
        m.setPaint(java.awt.Color.RED);
        chart.getXYPlot().addRangeMarker(m);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 560);
    }
}
