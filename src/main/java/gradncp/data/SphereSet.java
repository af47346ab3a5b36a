package gradncp.data;

import java.util.List;

/**
 * Fields on a shared lat/lon grid of rows x cols cells, as points on the unit sphere
 * (ALGORITHM.md, Coordinates). Point i = row * cols + col (the C order of the .npy grid);
 * its coordinate is {@code coords[3i .. 3i+2]} = {@link SphereGrid#sample(double, double)} of
 * (lat[row], lon[col]).
 *
 * <p>Values are min-max normalised, v' = (v - min) / (max - min), with the same {@code min} and
 * {@code max} for every field, so store those two numbers (e.g. in a checkpoint) and map
 * predictions back with {@link #denormalise(double)}. Under {@link SphereGrid.NanPolicy#MASK},
 * {@code masks[f][i]} is false for a missing cell, whose value stays NaN; the arrays
 * {@link #validCoords(int)} and {@link #validValues(int)} drop them. Otherwise {@code masks} is null.
 *
 * @param fields normalised values, one {@code float[rows*cols]} per field (treat as read-only)
 * @param lat latitude of each row in degrees north
 * @param lon longitude of each column in degrees east
 * @param coords unit-sphere coordinates [rows*cols*3]
 * @param names where each field came from (file path)
 */
public record SphereSet(float[][] fields, int rows, int cols, double[] lat, double[] lon, double[] coords,
        double min, double max, boolean[][] masks, List<String> names) {
    public SphereSet {
        if (lat.length != rows || lon.length != cols || coords.length != 3 * rows * cols) {
            throw new IllegalArgumentException("grid " + rows + "x" + cols + " does not match " + lat.length
                    + " latitudes, " + lon.length + " longitudes, " + coords.length / 3 + " coordinates");
        }
        if (names.size() != fields.length || (masks != null && masks.length != fields.length)) {
            throw new IllegalArgumentException(fields.length + " fields but " + names.size() + " names");
        }
        if (!(max > min)) throw new IllegalArgumentException("normalisation needs max > min, got " + min + ", " + max);
        for (float[] f : fields) {
            if (f.length != rows * cols) {
                throw new IllegalArgumentException("a field has " + f.length + " values, expected " + rows * cols);
            }
        }
        names = List.copyOf(names);
    }

    /** Number of fields. */
    public int size() {
        return fields.length;
    }

    /** Grid points per field, rows * cols. */
    public int points() {
        return rows * cols;
    }

    public float[] field(int i) {
        return fields[i];
    }

    /** The physical value of a normalised value: min + v * (max - min). */
    public double denormalise(double v) {
        return min + v * (max - min);
    }

    /** The normalised value of a physical value: (v - min) / (max - min). */
    public double normalise(double v) {
        return (v - min) / (max - min);
    }

    /** Coordinates [n*3] of the valid points of field i (all points if there is no mask). */
    public double[] validCoords(int i) {
        if (masks == null) return coords.clone();
        double[] out = new double[3 * count(masks[i])];
        for (int p = 0, k = 0; p < points(); p++) {
            if (masks[i][p]) System.arraycopy(coords, 3 * p, out, 3 * k++, 3);
        }
        return out;
    }

    /** Values [n] of the valid points of field i, in the order of {@link #validCoords(int)}. */
    public float[] validValues(int i) {
        if (masks == null) return fields[i].clone();
        float[] out = new float[count(masks[i])];
        for (int p = 0, k = 0; p < points(); p++) {
            if (masks[i][p]) out[k++] = fields[i][p];
        }
        return out;
    }

    private static int count(boolean[] m) {
        int n = 0;
        for (boolean b : m) n += b ? 1 : 0;
        return n;
    }

    @Override public String toString() {
        return "SphereSet[" + size() + " x " + rows + "x" + cols + ", range " + min + ".." + max + "]";
    }
}
