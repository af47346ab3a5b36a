package gradncp.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.text.DecimalFormat;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** Per-step line charts (JFreeChart, headless) rendered to PNG bytes. */
final class Charts {
    static final int WIDTH = 820;
    static final int HEIGHT = 460;
    /** Smallest span of a linear y axis (shares and correlations live in [0, 1], PSNR in dB). */
    static final double MIN_SPAN = 0.05;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
        new Color(0x9467bd), new Color(0xff7f0e), new Color(0x8c564b), new Color(0x17becf)};

    private Charts() {}

    /** One line: y[k] at x = xStart + k; colour by group index, dashed for the secondary variant. */
    record Series(String name, double[] y, int group, boolean dashed) {}

    /** A horizontal reference line. */
    record Marker(double value, String label) {}

    static byte[] lines(String title, String xLabel, String yLabel, int xStart, List<Series> series, boolean logY,
            Marker marker) {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int k = 0; k < s.y().length; k++) {
                if (Double.isFinite(s.y()[k]) && (!logY || s.y()[k] > 0)) {
                    xy.add(xStart + k, s.y()[k]);
                }
            }
            data.addSeries(xy);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        if (logY) {
            LogAxis axis = new LogAxis(yLabel + " (log scale)");
            axis.setNumberFormatOverride(new DecimalFormat("0.##E0"));
            plot.setRangeAxis(axis);
        } else {
            NumberAxis axis = (NumberAxis) plot.getRangeAxis();
            axis.setAutoRangeIncludesZero(false);
            axis.setAutoRangeMinimumSize(MIN_SPAN); // a constant series gets a readable axis, not +-5e-9
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            r.setSeriesPaint(i, PALETTE[s.group() % PALETTE.length]);
            r.setSeriesStroke(i, s.dashed() ? new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                    10f, new float[] {6f, 4f}, 0f) : new BasicStroke(2f));
        }
        plot.setRenderer(r);
        if (marker != null) {
            ValueMarker m = new ValueMarker(marker.value(), Color.GRAY, new BasicStroke(1f));
            m.setLabel(marker.label());
            m.setLabelAnchor(RectangleAnchor.TOP_RIGHT); // inside the plot, right-aligned above the line
            m.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
            plot.addRangeMarker(m);
            if (!logY) { // a marker outside the data's range would be cut off: widen the axis to show it
                Range span = plot.getRangeAxis().getRange();
                double pad = 0.1 * Math.max(span.getLength(), MIN_SPAN); // room for the label
                plot.getRangeAxis().setRange(Math.min(span.getLowerBound(), marker.value() - pad),
                        Math.max(span.getUpperBound(), marker.value() + pad));
            }
        }
        return Pictures.png(chart.createBufferedImage(WIDTH, HEIGHT));
    }
}
