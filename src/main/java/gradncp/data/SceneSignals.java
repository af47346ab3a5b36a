package gradncp.data;

import gradncp.metrics.Ssim;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Multi-view scenes as signals (ALGORITHM.md, NeRF): a point is a ray of one of the chosen views
 * (coordinates: origin, direction, near, far; inDim 8), its values the pixel's RGB over the
 * background. All scenes of a set share their cameras, so the rays are one shared grid. The
 * first {@code inputViews} views are a test scene's input; {@link #inputs} and {@link #heldOut}
 * split a set for the meta-test protocol (adapt on the inputs, score the held-out views).
 */
public final class SceneSignals implements SignalSet {
    private final List<Scene> scenes;
    private final int[] views;
    private final int inputViews;
    private final boolean white;
    private double[] coords;

    /**
     * @param views which views of each scene are the points, in this order
     * @throws IllegalArgumentException when scenes differ in cameras, image size or bounds
     */
    public SceneSignals(List<Scene> scenes, int[] views, int inputViews, boolean white) {
        if (views.length == 0) {
            throw new IllegalArgumentException("scene signals need at least one view");
        }
        for (Scene s : scenes) {
            if (!s.sameCameras(scenes.get(0))) {
                throw new IllegalArgumentException("scene " + s.name() + " has other cameras, image size or near/far than "
                        + scenes.get(0).name() + "; a meta-dataset of scenes needs shared cameras");
            }
            for (int v : views) {
                if (v < 0 || v >= s.views()) {
                    throw new IllegalArgumentException("scene " + s.name() + " has " + s.views() + " views, no view " + v);
                }
            }
        }
        this.scenes = List.copyOf(scenes);
        this.views = views.clone();
        this.inputViews = inputViews;
        this.white = white;
    }

    /** Every view of every scene. */
    public static SceneSignals all(List<Scene> scenes, int inputViews, boolean white) {
        int n = scenes.isEmpty() ? 0 : scenes.get(0).views();
        int[] v = new int[n];
        Arrays.setAll(v, i -> i);
        return new SceneSignals(scenes, v, inputViews, white);
    }

    public List<Scene> scenes() {
        return scenes;
    }

    public boolean white() {
        return white;
    }

    /** The input views of the meta-test protocol: the first inputViews of the chosen views. */
    public SceneSignals inputs() {
        return new SceneSignals(scenes, Arrays.copyOf(views, inputViews), inputViews, white);
    }

    /** The held-out views: the chosen views after the inputs. */
    public SceneSignals heldOut() {
        return new SceneSignals(scenes, Arrays.copyOfRange(views, inputViews, views.length), inputViews, white);
    }

    /** Number of chosen views. */
    public int viewCount() {
        return views.length;
    }

    public int height() {
        return scenes.get(0).height();
    }

    public int width() {
        return scenes.get(0).width();
    }

    @Override public int size() { return scenes.size(); }
    @Override public int inDim() { return 8; }
    @Override public int channels() { return 3; }

    @Override
    public int points() {
        return views.length * height() * width();
    }

    @Override
    public synchronized double[] coords() {
        if (coords == null) {
            int per = height() * width() * 8;
            coords = new double[views.length * per];
            for (int k = 0; k < views.length; k++) {
                System.arraycopy(scenes.get(0).rays(views[k]), 0, coords, k * per, per);
            }
        }
        return coords;
    }

    @Override
    public float[] values(int i) {
        int per = height() * width() * 3;
        float[] out = new float[views.length * per];
        for (int k = 0; k < views.length; k++) {
            System.arraycopy(scenes.get(i).colours(views[k], white), 0, out, k * per, per);
        }
        return out;
    }

    @Override
    public List<String> names() {
        return scenes.stream().map(Scene::name).toList();
    }

    @Override
    public SignalSet subset(int[] indices) {
        List<Scene> out = new ArrayList<>();
        for (int i : indices) {
            out.add(scenes.get(i));
        }
        return new SceneSignals(out, views, inputViews, white);
    }

    @Override
    public SignalSet resampled(int size) {
        throw new IllegalArgumentException("scenes are rendered at their cameras' resolution; --size does not apply");
    }

    @Override
    public boolean hasSsim() {
        return true;
    }

    /** Mean SSIM over the views. */
    @Override
    public double ssim(float[] pred, float[] target) {
        int per = height() * width() * 3;
        double s = 0;
        for (int k = 0; k < views.length; k++) {
            s += Ssim.of(Arrays.copyOfRange(pred, k * per, (k + 1) * per),
                    Arrays.copyOfRange(target, k * per, (k + 1) * per), height(), width(), 3);
        }
        return s / views.length;
    }

    /** One PNG per view: DIR/STEM_vK.png. */
    @Override
    public List<Path> write(Path dir, String stem, float[] values) throws IOException {
        int per = height() * width() * 3;
        List<Path> out = new ArrayList<>();
        for (int k = 0; k < views.length; k++) {
            Path png = dir.resolve(stem + "_v" + views[k] + ".png");
            Images.writePng(png, Arrays.copyOfRange(values, k * per, (k + 1) * per), height(), width(), 3);
            out.add(png);
        }
        return out;
    }

    /**
     * The rays of a turntable of n cameras around the origin at 30 degrees elevation, at the
     * distance, image size, focal length and bounds of view 0: [n * H * W * 8].
     */
    public double[] turntableRays(int n) {
        Scene s = scenes.get(0);
        double[] m = s.c2w()[views[0]];
        double radius = Math.sqrt(m[3] * m[3] + m[7] * m[7] + m[11] * m[11]);
        double[][] cams = Scene.orbit(n, Math.toRadians(30), radius);
        int per = s.height() * s.width() * 8;
        double[] out = new double[n * per];
        for (int k = 0; k < n; k++) {
            System.arraycopy(Scene.rays(cams[k], s.height(), s.width(), s.focal(), s.near(), s.far()), 0, out,
                    k * per, per);
        }
        return out;
    }

    /** Writes frames [n * H * W * 3] of this set's image size as a looping GIF. */
    public void writeGif(Path file, float[] frames, int delayMs) throws IOException {
        int per = height() * width() * 3;
        List<java.awt.image.BufferedImage> images = new ArrayList<>();
        for (int k = 0; k < frames.length / per; k++) {
            images.add(Gif.indexed(Arrays.copyOfRange(frames, k * per, (k + 1) * per), height(), width(), 3));
        }
        Gif.write(file, images, delayMs);
    }

    @Override
    public String describe() {
        return size() + " scenes, " + views.length + " view(s) each of " + height() + "x" + width() + ", "
                + (white ? "white" : "black") + " background";
    }
}
