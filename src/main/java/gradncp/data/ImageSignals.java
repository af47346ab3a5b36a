package gradncp.data;

import gradncp.metrics.Ssim;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Square images as signals: coordinates (row, column) on linspace(-1, 1) (ALGORITHM.md,
 * Coordinates), inDim 2, 1 or 3 channels; SSIM as the reference computes it; written as 8-bit PNG.
 * {@link #resampled} gives the size x size grid (resolution-free decoding).
 */
public final class ImageSignals implements SignalSet {
    private final ImageSet set;
    private double[] coords;

    public ImageSignals(ImageSet set) {
        this.set = set;
    }

    /** The wrapped images. */
    public ImageSet images() {
        return set;
    }

    @Override public int size() { return set.size(); }
    @Override public int inDim() { return 2; }
    @Override public int channels() { return set.channels(); }
    @Override public int points() { return set.points(); }
    @Override public float[] values(int i) { return set.image(i); }
    @Override public List<String> names() { return set.names(); }
    @Override public SignalSet subset(int[] indices) { return new ImageSignals(set.subset(indices)); }

    @Override
    public synchronized double[] coords() {
        if (coords == null) coords = SignalSet.imageCoords(set.resolution(), set.resolution());
        return coords;
    }

    @Override
    public SignalSet resampled(int size) {
        return new ImageSignals(new ImageSet(new float[0][], size, set.channels(), List.of()));
    }

    @Override
    public boolean hasSsim() {
        return true;
    }

    @Override
    public double ssim(float[] pred, float[] target) {
        return Ssim.of(pred, target, set.resolution(), set.resolution(), set.channels());
    }

    @Override
    public List<Path> write(Path dir, String stem, float[] values) throws IOException {
        Path png = dir.resolve(stem + ".png");
        Images.writePng(png, values, set.resolution(), set.resolution(), set.channels());
        return List.of(png);
    }

    @Override
    public String describe() {
        return set.size() + " images, " + set.resolution() + "x" + set.resolution() + ", " + set.channels()
                + " channel(s)";
    }
}
