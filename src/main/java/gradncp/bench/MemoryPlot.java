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
        chart.getXYPlot().setRangeAxis(y);
        ValueMarker m = new ValueMarker(budget / (double) (1L << 30));
        m.setLabel("budget");
        chart.getXYPlot().addRangeMarker(m);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 560);
    }
}
