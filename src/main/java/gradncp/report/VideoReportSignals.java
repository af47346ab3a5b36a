package gradncp.report;

import gradncp.data.SignalSet;
import gradncp.data.VideoSet;
import gradncp.data.VideoSignals;
import gradncp.nn.Decoder;
import gradncp.run.Evaluator;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * Video clips for the report, for a decoder whose context elements are frames (NeRV) or (t, h, w)
 * points (a video SIREN); which one is read from the decoder's layout of the data. Batches and
 * evaluation are exactly those of {@code gradncp eval} (via {@link Evaluator}).
 *
 * <p>A picture is the clip's frames in reading order, wrapped into a sheet of about 3:2 shape
 * ({@link #sheetColumns}) so that it fits a cell of the report's grids. Per-element
 * heat maps colour each pixel (point elements) or fill each frame with one colour (frame elements).
 *
 * <p>"Detail" uses the spatio-temporal gradient of the target's channel mean, in derivative units:
 * g = (Sobel_x / 8, Sobel_y / 8, central time difference / 2), edges replicated. A point is detail
 * when |g| is above the clip's 75th percentile; a frame when its mean |g|^2 (gradient energy) is
 * above the 75th percentile of the clip's frames.
 */
public final class VideoReportSignals implements ReportSignals {
    /** Elements whose gradient magnitude (energy) is above this quantile of the clip's are "detail". */
    public static final double DETAIL_QUANTILE = 0.75;
    /** Gap between frames of a sheet, px (native resolution). */
    static final int GAP = 1;
    private static final int GAP_RGB = new Color(0xdddddd).getRGB();
    private final VideoSignals signals;
    private final VideoSet set;
    private final boolean frameElements;

    /**
     * @throws IllegalArgumentException when the decoder cannot represent the clips, or splits them
     *     into something other than frames or points
     */
    public VideoReportSignals(VideoSignals signals, Decoder decoder) {
        this.signals = signals;
        this.set = signals.video();
        int[] layout = decoder.layout(signals.inDim(), signals.points(), signals.channels());
        if (layout.length == 2 && layout[0] == set.points()) {
            frameElements = false;
        } else if (layout.length > 2 && layout[0] == set.frames()) {
            frameElements = true;
        } else {
            throw new IllegalArgumentException("the report draws video elements that are frames or (t, h, w) points,"
                    + " but " + decoder.tag() + " splits " + signals.describe() + " into " + Arrays.toString(layout));
        }
    }

    @Override public int size() {
        return set.size();
    }

    @Override public int elements() {
        return frameElements ? set.frames() : set.points();
    }

    @Override public String elementName() {
        return frameElements ? "frame" : "point";
    }

    @Override public String name(int i) {
        return set.names().get(i);
    }

    @Override public float[] target(int i) {
        return set.clip(i);
    }

    @Override public SignalSet signals() {
        return signals;
    }

    @Override public BufferedImage picture(float[] values) {
        int c = values.length / set.points(); // 1 or 3
        return sheet(p -> {
            return Pictures.rgb(values, p, c);
        });
    }

    @Override public BufferedImage errorMap(float[] pred, float[] target, double max) {
        double[] err = Pictures.absError(pred, target, set.channels());
        return sheet(p -> Pictures.heatColour(max > 0 ? err[p] / max : 0));
    }

    @Override public BufferedImage heatMap(double[] perElement, double max) {
        int perFrame = set.height() * set.width();
        return sheet(p -> Pictures.heatColour(max > 0 ? perElement[frameElements ? p / perFrame : p] / max : 0));
    }

    @Override public BufferedImage keptOverlay(float[] target, int[] kept) {
        return picture(Pictures.maskOverlay(target, set.channels(), frameElements ? framePoints(kept) : kept));
    }

    @Override public boolean[] detail(int i) {
        double[] mag = gradient(i);
        if (!frameElements) {
            return Stats.above(mag, DETAIL_QUANTILE);
        }
        int perFrame = set.height() * set.width();
        double[] energy = new double[set.frames()];
        for (int p = 0; p < mag.length; p++) {
            energy[p / perFrame] += mag[p] * mag[p] / perFrame;
        }
        return Stats.above(energy, DETAIL_QUANTILE);
    }

    @Override public String detailRule() {
        String g = "|g| = the spatio-temporal gradient magnitude of the target's channel mean (Sobel x and y / 8,"
                + " central time difference / 2, edges replicated)";
        return frameElements ? "frames whose mean |g|² (gradient energy) is strictly above the 75th percentile of the"
                + " clip's frames, " + g : "points whose |g| is strictly above the clip's 75th percentile, " + g;
    }

    @Override public String pictureNote() {
        return "Each picture is one clip: its " + set.frames() + " frames in reading order (left to right, then down).";
    }

    /** The points of the given frames (the pixels a kept frame stands for), ascending. */
    private int[] framePoints(int[] frames) {
        int perFrame = set.height() * set.width();
        int[] out = new int[frames.length * perFrame];
        for (int j = 0; j < frames.length; j++) {
            for (int q = 0; q < perFrame; q++) {
                out[j * perFrame + q] = frames[j] * perFrame + q;
            }
        }
        return out;
    }

    /** Spatio-temporal gradient magnitude per point of clip i's channel mean (see the class comment). */
    double[] gradient(int i) {
        int t = set.frames();
        int h = set.height();
        int w = set.width();
        int c = set.channels();
        float[] clip = set.clip(i);
        double[] lum = new double[t * h * w];
        for (int p = 0; p < lum.length; p++) {
            for (int ch = 0; ch < c; ch++) {
                lum[p] += clip[p * c + ch] / c;
            }
        }
        double[] mag = new double[lum.length];
        for (int f = 0; f < t; f++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    double gx = at(lum, f, y - 1, x + 1) + 2 * at(lum, f, y, x + 1) + at(lum, f, y + 1, x + 1)
                            - at(lum, f, y - 1, x - 1) - 2 * at(lum, f, y, x - 1) - at(lum, f, y + 1, x - 1);
                    double gy = at(lum, f, y + 1, x - 1) + 2 * at(lum, f, y + 1, x) + at(lum, f, y + 1, x + 1)
                            - at(lum, f, y - 1, x - 1) - 2 * at(lum, f, y - 1, x) - at(lum, f, y - 1, x + 1);
                    double gt = at(lum, f + 1, y, x) - at(lum, f - 1, y, x);
                    mag[(f * h + y) * w + x] = Math.sqrt(gx * gx / 64 + gy * gy / 64 + gt * gt / 4);
                }
            }
        }
        return mag;
    }

    /**
     * Frames per row of a sheet: the c whose c x ceil(T / c) sheet is closest to 3:2 (in log ratio)
     * while leaving few cells empty (each empty cell costs 1/T): 2x2 for 4 frames, 4x2 for 8, 4x4
     * for 16.
     */
    int sheetColumns() {
        int t = set.frames();
        int best = 1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int c = 1; c <= t; c++) {
            int rows = (t + c - 1) / c;
            double cost = Math.abs(Math.log(c / (double) rows / 1.5)) + (c * rows - t) / (double) t;
            if (cost < bestCost - 1e-12) {
                best = c;
                bestCost = cost;
            }
        }
        return best;
    }

    /** A sheet of the clip's frames (reading order, GAP px apart) coloured point by point. */
    private BufferedImage sheet(java.util.function.IntUnaryOperator rgbOfPoint) {
        int t = set.frames();
        int h = set.height();
        int w = set.width();
        int cols = sheetColumns();
        int rows = (t + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * (w + GAP) - GAP, rows * (h + GAP) - GAP,
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                img.setRGB(x, y, GAP_RGB);
            }
        }
        for (int f = 0; f < t; f++) {
            int x0 = (f % cols) * (w + GAP);
            int y0 = (f / cols) * (h + GAP);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img.setRGB(x0 + x, y0 + y, rgbOfPoint.applyAsInt((f * h + y) * w + x));
                }
            }
        }
        return img;
    }

    private double at(double[] lum, int f, int y, int x) {
        int h = set.height();
        int w = set.width();
        return lum[(Math.clamp(f, 0, set.frames() - 1) * h + Math.clamp(y, 0, h - 1)) * w + Math.clamp(x, 0, w - 1)];
    }
}
