package gradncp.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lat/lon grids stored as NumPy files (shared/data/sphere layout: {@code lat.npy} [rows] and
 * {@code lon.npy} [cols] in degrees, and one [rows, cols] float32 .npy per field, NaN = missing)
 * loaded as a {@link SphereSet}: each cell centre is embedded on the unit sphere as
 * (cos lat cos lon, cos lat sin lon, sin lat), as the reference does for ERA5, and the values
 * are min-max normalised to [0, 1] with constants shared by all fields of the set.
 *
 * <p>Missing values need an explicit choice ({@link NanPolicy}): by default a field with NaN is
 * rejected with an error naming the file and the count, because silently filling them (COADS
 * air temperature has NaN over all land, 40-50 % of the cells) would teach the network a fake
 * signal. {@code MASK} keeps them as NaN and returns per-field masks so the caller drops those
 * points; {@code FILL_MEAN} replaces them by the mean of the field's valid cells (a flat field
 * over land: only for quick looks).
 */
public final class SphereGrid {
    /** What to do with NaN (missing) cells. */
    public enum NanPolicy { REJECT, MASK, FILL_MEAN }

    /**
     * Options for {@link #loadFolder}.
     *
     * @param nanPolicy what to do with missing cells
     * @param rangeOrNull fixed {min, max} for the normalisation (e.g. from a checkpoint, or the
     *     reference's ERA5 constants 202.66, 320.93), or null to use the set's own min and max
     */
    public record Options(NanPolicy nanPolicy, double[] rangeOrNull) {
        public static final Options DEFAULT = new Options(NanPolicy.REJECT, null);
    }

    private SphereGrid() {}

    /** The unit-sphere point of (lat, lon) in degrees: (cos lat cos lon, cos lat sin lon, sin lat). */
    public static double[] sample(double latDeg, double lonDeg) {
        double la = Math.toRadians(latDeg), lo = Math.toRadians(lonDeg);
        return new double[] {Math.cos(la) * Math.cos(lo), Math.cos(la) * Math.sin(lo), Math.sin(la)};
    }

    /** Coordinates [rows*cols*3] of the grid, point row * cols + col. */
    public static double[] coords(double[] latDeg, double[] lonDeg) {
        double[] c = new double[latDeg.length * lonDeg.length * 3];
        for (int r = 0, i = 0; r < latDeg.length; r++) {
            for (double lon : lonDeg) {
                System.arraycopy(sample(latDeg[r], lon), 0, c, i, 3);
                i += 3;
            }
        }
        return c;
    }

    /** All field files of {@code dir} (every *.npy except lat.npy and lon.npy), sorted by name. */
    public static SphereSet loadFolder(Path dir, Options opts) throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("sphere folder not found: " + dir.toAbsolutePath());
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(Files::isRegularFile).filter(p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".npy") && !n.equals("lat.npy") && !n.equals("lon.npy");
            }).sorted().toList();
        }
        if (files.isEmpty()) throw new IOException("no field .npy files (besides lat.npy, lon.npy) in " + dir.toAbsolutePath());
        return load(files, dir.resolve("lat.npy"), dir.resolve("lon.npy"), opts);
    }

    /** The given [rows, cols] field files on the grid of {@code latFile} x {@code lonFile}. */
    public static SphereSet load(List<Path> files, Path latFile, Path lonFile, Options opts) throws IOException {
        double[] lat = axis(latFile), lon = axis(lonFile);
        for (double v : lat) {
            if (!(Math.abs(v) <= 90)) throw new IOException(latFile + " holds latitude " + v + ", outside [-90, 90] degrees");
        }
        int rows = lat.length, cols = lon.length;
        float[][] fields = new float[files.size()][];
        boolean[][] masks = opts.nanPolicy() == NanPolicy.MASK ? new boolean[files.size()][] : null;
        var names = new ArrayList<String>();
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            Npy.Array a = Npy.read(file);
            if (a.shape().length != 2 || a.shape()[0] != rows || a.shape()[1] != cols) {
                throw new IOException("field " + file + " has shape " + Arrays.toString(a.shape()) + " but the grid of "
                        + latFile.getFileName() + " x " + lonFile.getFileName() + " is [" + rows + ", " + cols + "]");
            }
            float[] v = a.data();
            int nan = 0;
            double sum = 0;
            for (float x : v) {
                if (Float.isNaN(x)) {
                    nan++;
                } else if (Float.isInfinite(x)) {
                    throw new IOException("field " + file + " holds an infinite value; only NaN may mark missing cells");
                } else {
                    sum += x;
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
            if (nan == v.length) throw new IOException("field " + file + " is all NaN (no valid cell)");
            if (nan > 0 && opts.nanPolicy() == NanPolicy.REJECT) {
                throw new IOException("field " + file + " has " + nan + " NaN (missing) cells of " + v.length
                        + String.format(java.util.Locale.ROOT, " (%.1f%%)", 100.0 * nan / v.length)
                        + "; set nanPolicy=fill_mean to fill them with the field's mean, or give fields without NaN");
            }
            if (masks != null) {
                masks[f] = new boolean[v.length];
                for (int i = 0; i < v.length; i++) masks[f][i] = !Float.isNaN(v[i]);
            } else if (nan > 0) { // FILL_MEAN
                float mean = (float) (sum / (v.length - nan));
                for (int i = 0; i < v.length; i++) if (Float.isNaN(v[i])) v[i] = mean;
            }
            fields[f] = v;
            names.add(file.toString());
        }
        double min = opts.rangeOrNull() != null ? opts.rangeOrNull()[0] : lo;
        double max = opts.rangeOrNull() != null ? opts.rangeOrNull()[1] : hi;
        if (!(max > min)) {
            throw new IOException("cannot normalise " + files.get(0).getParent() + ": min " + min + " and max " + max
                    + " (a constant field?); give a range in the options");
        }
        for (float[] v : fields) {
            for (int i = 0; i < v.length; i++) v[i] = (float) ((v[i] - min) / (max - min)); // NaN stays NaN
        }
        return new SphereSet(fields, rows, cols, lat, lon, coords(lat, lon), min, max, masks, names);
    }

    /** A 1-D axis file ([n] or [n, 1]) in degrees. */
    private static double[] axis(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("grid axis file not found: " + file.toAbsolutePath()
                    + "; a sphere folder needs lat.npy and lon.npy next to the fields");
        }
        Npy.Array a = Npy.read(file);
        int[] s = a.shape();
        if (!(s.length == 1 || (s.length == 2 && s[1] == 1)) || a.data().length < 1) {
            throw new IOException("grid axis " + file + " has shape " + Arrays.toString(s) + "; expected a 1-D array of degrees");
        }
        double[] d = new double[a.data().length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a.data()[i];
            if (!Double.isFinite(d[i])) throw new IOException("grid axis " + file + " has a non-finite value at " + i);
        }
        return d;
    }
}
