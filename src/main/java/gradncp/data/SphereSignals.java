package gradncp.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fields on the globe as signals: each lat/lon cell centre embedded on the unit sphere
 * (as for ERA5; ALGORITHM.md, Coordinates), inDim 3, one channel, values min-max normalised with
 * the set's constants ({@link SphereSet}). PSNR only, on the normalised values (ALGORITHM.md,
 * Metrics). The constants go into the checkpoint metadata ({@link #metadata}: {@value #MIN_KEY},
 * {@value #MAX_KEY}) so fit and eval normalise new fields the same way and write predictions back
 * in physical units.
 *
 * <p>Written as DIR/STEM.npy, float32 [rows, cols] in physical units (row order of the source
 * grid, so the original lat.npy/lon.npy apply), and DIR/STEM.png, an equirectangular picture of
 * the normalised field ({@link Equirect}). {@link #resampled} gives a global grid of size rows x
 * 2*size columns of cell centres (lat -90..90 ascending, lon 0..360), for sampling at any resolution.
 */
public final class SphereSignals implements SignalSet {
    public static final String MIN_KEY = "value_min";
    public static final String MAX_KEY = "value_max";
    private final SphereSet set;

    public SphereSignals(SphereSet set) {
        if (set.masks() != null) {
            throw new IllegalArgumentException("sphere fields with masked (NaN) cells cannot be meta-trained: a batch"
                    + " shares one grid; use nanPolicy=fill_mean, or fields without NaN");
        }
        this.set = set;
    }

    public SphereSet sphere() {
        return set;
    }

    /** The {min, max} stored by {@link #metadata} in a checkpoint, or null if absent. */
    public static double[] rangeOf(Map<String, String> metadata) {
        if (metadata == null || !metadata.containsKey(MIN_KEY) || !metadata.containsKey(MAX_KEY)) return null;
        return new double[] {Double.parseDouble(metadata.get(MIN_KEY)), Double.parseDouble(metadata.get(MAX_KEY))};
    }

    @Override public int size() { return set.size(); }
    @Override public int inDim() { return 3; }
    @Override public int channels() { return 1; }
    @Override public int points() { return set.points(); }
    @Override public double[] coords() { return set.coords(); }
    @Override public float[] values(int i) { return set.field(i); }
    @Override public List<String> names() { return set.names(); }
    @Override public SignalSet subset(int[] indices) {
        float[][] f = new float[indices.length][];
        var n = new ArrayList<String>();
        for (int k = 0; k < indices.length; k++) {
            f[k] = set.field(indices[k]);
            n.add(set.names().get(indices[k]));
        }
        return new SphereSignals(new SphereSet(f, set.rows(), set.cols(), set.lat(), set.lon(), set.coords(),
                set.min(), set.max(), null, n));
    }

    @Override
    public SignalSet resampled(int rows) {
        if (rows < 2) throw new IllegalArgumentException("a sphere grid needs >= 2 latitude rows, got " + rows);
        int cols = 2 * rows;
        double[] lat = new double[rows], lon = new double[cols];
        for (int r = 0; r < rows; r++) lat[r] = -90 + (r + 0.5) * 180.0 / rows;
        for (int c = 0; c < cols; c++) lon[c] = (c + 0.5) * 360.0 / cols;
        return new SphereSignals(new SphereSet(new float[0][], rows, cols, lat, lon, SphereGrid.coords(lat, lon),
                set.min(), set.max(), null, List.of()));
    }

    @Override
    public List<Path> write(Path dir, String stem, float[] values) throws IOException {
        float[] physical = new float[values.length];
        for (int i = 0; i < values.length; i++) physical[i] = (float) set.denormalise(values[i]);
        Path npy = dir.resolve(stem + ".npy");
        Npy.write(npy, new int[] {set.rows(), set.cols()}, physical);
        Path png = dir.resolve(stem + ".png");
        int width = Math.max(360, 2 * set.cols());
        Equirect.writeGrid(png, width, width / 2, values, set.lat(), set.lon(), 0, 1);
        return List.of(npy, png);
    }

    @Override
    public Map<String, String> metadata() {
        return Map.of(MIN_KEY, Double.toString(set.min()), MAX_KEY, Double.toString(set.max()));
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "%d fields on a %dx%d lat/lon grid, normalised from [%.4g, %.4g]",
                set.size(), set.rows(), set.cols(), set.min(), set.max());
    }
}
