package gradncp.data;

import gradncp.metrics.Ssim;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Video clips as signals for a SIREN: coordinates (t, h, w), each axis linspace(-1, 1)
 * (ALGORITHM.md, Coordinates), inDim 3, 1 or 3 channels. SSIM is per frame, averaged over the T
 * frames (ALGORITHM.md, Metrics). Written as PNG frames in DIR/STEM_frames/ and a looping GIF
 * DIR/STEM.gif (100 ms per frame). {@link #resampled} keeps T and renders size x size frames.
 */
public final class VideoSignals implements SignalSet {
    /** GIF frame delay. */
    public static final int GIF_DELAY_MS = 100;
    private final VideoSet set;
    private double[] coords;

    public VideoSignals(VideoSet set) {
        this.set = set;
    }

    public VideoSet video() {
        return set;
    }

    @Override public int size() { return set.size(); }
    @Override public int inDim() { return 3; }
    @Override public int channels() { return set.channels(); }
    @Override public int points() { return set.points(); }
    @Override public float[] values(int i) { return set.clip(i); }
    @Override public List<String> names() { return set.names(); }
    @Override public SignalSet subset(int[] indices) {
        float[][] c = new float[indices.length][];
        var n = new ArrayList<String>();
        for (int k = 0; k < indices.length; k++) {
            c[k] = set.clip(indices[k]);
            n.add(set.names().get(indices[k]));
        }
        return new VideoSignals(new VideoSet(c, set.frames(), set.height(), set.width(), set.channels(), n));
    }

    @Override
    public synchronized double[] coords() {
        if (coords == null) coords = Video.videoCoords(set.frames(), set.height(), set.width());
        return coords;
    }

    @Override
    public SignalSet resampled(int size) {
        return new VideoSignals(new VideoSet(new float[0][], set.frames(), size, size, set.channels(), List.of()));
    }

    @Override
    public boolean hasSsim() {
        return true;
    }

    @Override
    public double ssim(float[] pred, float[] target) {
        int per = set.frameSize();
        double sum = 0;
        for (int t = 0; t < set.frames(); t++) {
            float[] p = java.util.Arrays.copyOfRange(pred, t * per, (t + 1) * per);
            float[] q = java.util.Arrays.copyOfRange(target, t * per, (t + 1) * per);
            sum += Ssim.of(p, q, set.height(), set.width(), set.channels());
        }
        return sum / set.frames();
    }

    @Override
    public List<Path> write(Path dir, String stem, float[] values) throws IOException {
        VideoSet one = new VideoSet(new float[][] {values}, set.frames(), set.height(), set.width(), set.channels(),
                List.of(stem));
        Path frames = dir.resolve(stem + "_frames");
        Files.createDirectories(frames);
        Video.writePngFrames(frames, one, 0);
        Path gif = dir.resolve(stem + ".gif");
        Video.writeGif(gif, one, 0, GIF_DELAY_MS);
        return List.of(frames, gif);
    }

    @Override
    public String describe() {
        return set.size() + " clips of " + set.frames() + " frames, " + set.height() + "x" + set.width() + ", "
                + set.channels() + " channel(s)";
    }

    /** Grey clips as RGB (the grey value in all three channels). */
    public static VideoSet toRgb(VideoSet s) {
        if (s.channels() == 3) return s;
        float[][] out = new float[s.size()][];
        for (int i = 0; i < out.length; i++) {
            float[] g = s.clip(i);
            float[] c = new float[g.length * 3];
            for (int p = 0; p < g.length; p++) c[3 * p] = c[3 * p + 1] = c[3 * p + 2] = g[p];
            out[i] = c;
        }
        return new VideoSet(out, s.frames(), s.height(), s.width(), 3, s.names());
    }
}
