package gradncp.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.DoubleBinaryOperator;
import javax.imageio.ImageIO;

/**
 * Pictures of fields on the sphere: an equirectangular (plate carree) PNG of width x height
 * pixels, north up, longitude -180 .. 180 from left to right (Greenwich in the middle), pixel
 * (x, y) showing the value at its centre, lat = 90 - (y + 0.5) * 180 / height and
 * lon = -180 + (x + 0.5) * 360 / width. Values are coloured with a viridis-like map over
 * [vmin, vmax] (clamped); NaN (missing) is drawn mid grey.
 *
 * <p>The colour map is linear interpolation between 11 stops of matplotlib's viridis
 * (at 0, 0.1, ..., 1), close to the real 256-entry table and perceptually ordered dark blue to
 * yellow.
 */
public final class Equirect {
    private static final int[] VIRIDIS = {
        0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c, 0x22a884, 0x44bf70, 0x7ad151, 0xbddf26, 0xfde725};
    private static final int NAN_COLOUR = 0x808080;

    private Equirect() {}

    /** The viridis-like colour of t in [0, 1] (clamped) as 0xRRGGBB; NaN gives mid grey. */
    public static int colour(double t) {
        if (Double.isNaN(t)) return NAN_COLOUR;
        double u = Math.max(0, Math.min(1, t)) * (VIRIDIS.length - 1);
        int k = Math.min((int) u, VIRIDIS.length - 2);
        double f = u - k;
        int rgb = 0;
        for (int shift = 16; shift >= 0; shift -= 8) {
            int a = (VIRIDIS[k] >> shift) & 255, b = (VIRIDIS[k + 1] >> shift) & 255;
            rgb |= (int) Math.round(a + f * (b - a)) << shift;
        }
        return rgb;
    }

    /** Renders f(lat, lon) (degrees) sampled at every pixel centre. */
    public static void writeFunction(Path png, int width, int height, DoubleBinaryOperator f, double vmin, double vmax)
            throws IOException {
        if (width < 1 || height < 1) throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        if (!(vmax > vmin)) throw new IllegalArgumentException("colour range needs vmax > vmin, got " + vmin + ", " + vmax);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            double lat = 90 - (y + 0.5) * 180.0 / height;
            for (int x = 0; x < width; x++) {
                double lon = -180 + (x + 0.5) * 360.0 / width;
                img.setRGB(x, y, colour((f.applyAsDouble(lat, lon) - vmin) / (vmax - vmin)));
            }
        }
        Path parent = png.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(img, "png", png.toFile())) throw new IOException("no PNG writer available for " + png);
    }

    /**
     * Renders {@code values} [lat.length * lon.length] (row-major, any latitude order) by nearest
     * cell; pixels farther than one cell from the grid (a regional grid) are NaN grey.
     */
    public static void writeGrid(Path png, int width, int height, float[] values, double[] lat, double[] lon,
            double vmin, double vmax) throws IOException {
        if (values.length != lat.length * lon.length) {
            throw new IllegalArgumentException(values.length + " values for a " + lat.length + "x" + lon.length + " grid");
        }
        writeFunction(png, width, height, (la, lo) -> {
            int r = nearest(lat, la, false), c = nearest(lon, lo, true);
            return r < 0 || c < 0 ? Double.NaN : values[r * lon.length + c];
        }, vmin, vmax);
    }

    /** Field {@code i} of a set, normalised values on [0, 1]. */
    public static void writeField(Path png, SphereSet set, int i, int width, int height) throws IOException {
        writeGrid(png, width, height, set.field(i), set.lat(), set.lon(), 0, 1);
    }

    /** Index of the axis value nearest to v (circular in degrees for longitude), or -1 if too far. */
    private static int nearest(double[] axis, double v, boolean circular) {
        int best = -1;
        double bestD = Double.POSITIVE_INFINITY;
        for (int k = 0; k < axis.length; k++) {
            double d = Math.abs(axis[k] - v);
            if (circular) d = Math.min(d % 360, 360 - d % 360);
            if (d < bestD) {
                bestD = d;
                best = k;
            }
        }
        double step = axis.length > 1 ? Math.abs(axis[1] - axis[0]) : 360;
        return bestD <= step ? best : -1;
    }
}
