package gradncp.report;

import gradncp.data.ImageSet;
import gradncp.data.ImageSignals;
import gradncp.data.SignalSet;
import gradncp.run.Evaluator;
import java.awt.image.BufferedImage;

/**
 * Square images for the report, for decoders whose context elements are pixels (a SIREN): batches
 * and evaluation exactly as {@code gradncp eval} does them (via {@link Evaluator}), pictures as
 * RGB/grey images, and "detail" = the top quartile of the target's Sobel gradient magnitude (on
 * the channel mean, edges replicated).
 */
public record ImageReportSignals(ImageSet set) implements ReportSignals {
    /** Points whose Sobel magnitude is above this quantile of the image's magnitudes are "detail". */
    public static final double DETAIL_QUANTILE = 0.75;

    @Override public int size() {
        return set.size();
    }

    @Override public int elements() {
        return set.points();
    }

    @Override public String elementName() {
        return "pixel";
    }

    @Override public String name(int i) {
        return set.names().get(i);
    }

    @Override public float[] target(int i) {
        return set.image(i);
    }

    @Override public SignalSet signals() {
        return new ImageSignals(set);
    }

    @Override public BufferedImage picture(float[] values) {
        int r = set.resolution();
        int c = values.length / (r * r); // 1 or 3, whatever the set's channels
        BufferedImage img = new BufferedImage(r, r, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < r * r; p++) {
            img.setRGB(p % r, p / r, Pictures.rgb(values, p, c));
        }
        return img;
    }

    @Override public BufferedImage heatMap(double[] perPoint, double max) {
        int r = set.resolution();
        BufferedImage img = new BufferedImage(r, r, BufferedImage.TYPE_INT_RGB);
        for (int p = 0; p < r * r; p++) {
            img.setRGB(p % r, p / r, Pictures.heatColour(max > 0 ? perPoint[p] / max : 0));
        }
        return img;
    }

    @Override public BufferedImage errorMap(float[] pred, float[] target, double max) {
        return heatMap(Pictures.absError(pred, target, set.channels()), max);
    }

    @Override public BufferedImage keptOverlay(float[] target, int[] kept) {
        return picture(Pictures.maskOverlay(target, set.channels(), kept));
    }

    @Override public boolean[] detail(int i) {
        return Stats.above(sobel(i), DETAIL_QUANTILE);
    }

    @Override public String detailRule() {
        return "Sobel gradient magnitude of the target (channel mean, edges replicated) strictly above its "
                + "75th percentile";
    }

    /** Sobel gradient magnitude of the channel mean of image i, [R*R]. */
    double[] sobel(int i) {
        int r = set.resolution();
        int c = set.channels();
        float[] img = set.image(i);
        double[] lum = new double[r * r];
        for (int p = 0; p < r * r; p++) {
            for (int ch = 0; ch < c; ch++) {
                lum[p] += img[p * c + ch] / c;
            }
        }
        double[] mag = new double[r * r];
        for (int y = 0; y < r; y++) {
            for (int x = 0; x < r; x++) {
                double gx = px(lum, r, x + 1, y - 1) + 2 * px(lum, r, x + 1, y) + px(lum, r, x + 1, y + 1)
                        - px(lum, r, x - 1, y - 1) - 2 * px(lum, r, x - 1, y) - px(lum, r, x - 1, y + 1);
                double gy = px(lum, r, x - 1, y + 1) + 2 * px(lum, r, x, y + 1) + px(lum, r, x + 1, y + 1)
                        - px(lum, r, x - 1, y - 1) - 2 * px(lum, r, x, y - 1) - px(lum, r, x + 1, y - 1);
                mag[y * r + x] = Math.hypot(gx, gy);
            }
        }
        return mag;
    }

    private static double px(double[] lum, int r, int x, int y) {
        return lum[Math.clamp(y, 0, r - 1) * r + Math.clamp(x, 0, r - 1)];
    }
}
