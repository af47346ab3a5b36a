package gradncp.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import javax.imageio.ImageIO;

/** Labelled picture grids (Java2D, headless) and PNG encoding for the report's image figures. */
final class Pictures {
    static final int PAD = 4;
    private static final int LABEL_HEIGHT = 18;
    private static final int ROW_LABEL_WIDTH = 170;
    /** Colour-map anchors from black through purple, orange to light yellow (inferno-like). */
    private static final int[][] MAP = {{0, 0, 4}, {87, 16, 110}, {188, 55, 84}, {249, 142, 9}, {252, 255, 164}};

    private Pictures() {}

    /** One picture of a grid with its caption (drawn above it); a null image leaves the cell empty. */
    record Cell(String caption, BufferedImage image) {}

    /** One labelled row of a grid: a label on the left and one captioned picture per column. */
    record Row(String label, List<Cell> cells) {}

    /**
     * A grid of captioned pictures with row labels. Every picture is scaled (nearest neighbour) to
     * {@code cell} px high, keeping its aspect ratio; a column is as wide as its widest picture.
     */
    static BufferedImage grid(List<Row> rows, int cell) {
        int columns = rows.stream().mapToInt(r -> r.cells().size()).max().orElse(1);
        int[] widths = new int[columns];
        for (Row r : rows) {
            for (int j = 0; j < r.cells().size(); j++) {
                widths[j] = Math.max(widths[j], scaledWidth(r.cells().get(j).image(), cell));
            }
        }
        int[] left = new int[columns];
        int x0 = ROW_LABEL_WIDTH + PAD;
        for (int j = 0; j < columns; j++) {
            left[j] = x0;
            x0 += widths[j] + PAD;
        }
        int rowHeight = LABEL_HEIGHT + cell + PAD;
        int width = x0;
        int height = rows.size() * rowHeight + PAD;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < rows.size(); i++) {
            int y = i * rowHeight;
            g.setColor(Color.BLACK);
            g.drawString(clip(rows.get(i).label(), 26), PAD, y + LABEL_HEIGHT + cell / 2 + 5);
            List<Cell> cells = rows.get(i).cells();
            for (int j = 0; j < cells.size(); j++) {
                BufferedImage img = cells.get(j).image();
                g.setColor(Color.BLACK);
                g.drawString(clip(cells.get(j).caption(), Math.max(4, widths[j] / 7)), left[j], y + LABEL_HEIGHT - 5);
                if (img != null) {
                    g.drawImage(img, left[j], y + LABEL_HEIGHT, scaledWidth(img, cell), cell, null);
                }
            }
        }
        g.dispose();
        return out;
    }

    /** Width of a picture scaled to the given height (aspect kept; a missing picture is square). */
    static int scaledWidth(BufferedImage img, int height) {
        return img == null ? height : Math.max(1, Math.round(height * (float) img.getWidth() / img.getHeight()));
    }

    /** RGB of a value in [0, 1] on the colour map (values outside are clamped). */
    /** Packed RGB of point p of values with c channels per point (grey when c = 1), clamped to [0, 1]. */
    static int rgb(float[] values, int p, int c) {
        int red = byteOf(values[p * c]);
        int green = c == 3 ? byteOf(values[p * c + 1]) : red;
        int blue = c == 3 ? byteOf(values[p * c + 2]) : red;
        return (red << 16) | (green << 8) | blue;
    }

    private static int byteOf(float v) {
        return Math.round(Math.clamp(v, 0f, 1f) * 255f);
    }

    static int heatColour(double v) {
        double t = Math.clamp(Double.isFinite(v) ? v : 0, 0, 1) * (MAP.length - 1);
        int i = Math.min((int) t, MAP.length - 2);
        double f = t - i;
        int rgb = 0;
        for (int ch = 0; ch < 3; ch++) {
            int c = (int) Math.round(MAP[i][ch] + f * (MAP[i + 1][ch] - MAP[i][ch]));
            rgb = (rgb << 8) | c;
        }
        return rgb;
    }

    /** The target with the kept points at full brightness and the rest dimmed and tinted blue. */
    static float[] maskOverlay(float[] target, int channels, int[] kept) {
        int n = target.length / channels;
        boolean[] on = new boolean[n];
        for (int i : kept) {
            on[i] = true;
        }
        float[] out = new float[n * 3];
        for (int p = 0; p < n; p++) {
            for (int ch = 0; ch < 3; ch++) {
                float v = target[p * channels + (channels == 3 ? ch : 0)];
                out[p * 3 + ch] = on[p] ? v : 0.15f * v + (ch == 2 ? 0.35f : 0.05f);
            }
        }
        return out;
    }

    /** |pred - target| per point, the mean over its channels: [values / channels]. */
    static double[] absError(float[] pred, float[] target, int channels) {
        double[] err = new double[target.length / channels];
        for (int p = 0; p < err.length; p++) {
            for (int ch = 0; ch < channels; ch++) {
                err[p] += Math.abs(pred[p * channels + ch] - target[p * channels + ch]) / channels;
            }
        }
        return err;
    }

    static byte[] png(BufferedImage img) {
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream()) {
            ImageIO.write(img, "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG in memory", e);
        }
    }

    private static String clip(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
