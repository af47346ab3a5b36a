package gradncp.data;

import java.util.Arrays;

/**
 * One object seen from several calibrated views (ALGORITHM.md, NeRF): per view an RGBA image of
 * height x width (row-major, values in [0, 1]) and a camera-to-world matrix (4x4 row-major, the
 * NeRF/Blender convention: the camera looks down its -z axis, x right, y up), one focal length in
 * pixels for all views, and the near/far bounds of every ray.
 */
public record Scene(String name, int height, int width, double focal, double near, double far, double[][] c2w,
        float[][] rgba) {
    public Scene {
        if (c2w.length != rgba.length || c2w.length == 0) {
            throw new IllegalArgumentException(name + ": needs one camera per view, got " + c2w.length + " cameras and "
                    + rgba.length + " views");
        }
        if (!(focal > 0) || !(near >= 0) || !(far > near)) {
            throw new IllegalArgumentException(name + ": needs focal > 0 and 0 <= near < far, got focal=" + focal
                    + " near=" + near + " far=" + far);
        }
        for (int v = 0; v < rgba.length; v++) {
            if (rgba[v].length != height * width * 4) {
                throw new IllegalArgumentException(name + ": view " + v + " has " + rgba[v].length / 4
                        + " pixels, expected " + height + "x" + width);
            }
            checkCamera(name + ": view " + v, c2w[v]);
        }
    }

    public int views() {
        return rgba.length;
    }

    /**
     * Fails with one line when a camera-to-world matrix is not 4x4 with last row (0, 0, 0, 1) and an
     * invertible rotation block (|det| far from 0) or has non-finite entries.
     */
    public static void checkCamera(String what, double[] m) {
        if (m.length != 16) {
            throw new IllegalArgumentException(what + ": camera matrix must be 4x4, got " + m.length + " numbers");
        }
        for (double x : m) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException(what + ": camera matrix has a non-finite entry " + x);
            }
        }
        if (Math.abs(m[12]) > 1e-6 || Math.abs(m[13]) > 1e-6 || Math.abs(m[14]) > 1e-6 || Math.abs(m[15] - 1) > 1e-6) {
            throw new IllegalArgumentException(what + ": camera matrix last row must be (0, 0, 0, 1), got ("
                    + m[12] + ", " + m[13] + ", " + m[14] + ", " + m[15] + ")");
        }
        double det = m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8])
                + m[2] * (m[4] * m[9] - m[5] * m[8]);
        if (Math.abs(det) < 1e-6) {
            throw new IllegalArgumentException(what + ": camera matrix is not invertible (det of its rotation block "
                    + det + ")");
        }
    }

    /** The rays of one view, [H*W*8]: origin, direction (through the pixel centre), near, far. */
    public double[] rays(int view) {
        return rays(c2w[view], height, width, focal, near, far);
    }

    /** The rays of a camera c2w (4x4 row-major) with an h x w image and a focal length in pixels. */
    public static double[] rays(double[] c2w, int h, int w, double focal, double near, double far) {
        double[] out = new double[h * w * 8];
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                double x = (i + 0.5 - 0.5 * w) / focal;
                double y = -(j + 0.5 - 0.5 * h) / focal;
                int o = (j * w + i) * 8;
                for (int a = 0; a < 3; a++) {
                    out[o + a] = c2w[4 * a + 3];
                    out[o + 3 + a] = c2w[4 * a] * x + c2w[4 * a + 1] * y - c2w[4 * a + 2];
                }
                out[o + 6] = near;
                out[o + 7] = far;
            }
        }
        return out;
    }

    /** One view's colours [H*W*3] over the background (white: rgb a + (1 - a); black: rgb a). */
    public float[] colours(int view, boolean white) {
        float[] src = rgba[view];
        float[] out = new float[height * width * 3];
        for (int p = 0; p < height * width; p++) {
            float a = src[4 * p + 3];
            for (int c = 0; c < 3; c++) {
                out[3 * p + c] = src[4 * p + c] * a + (white ? 1 - a : 0);
            }
        }
        return out;
    }

    /**
     * A camera at (azimuth, elevation) in radians on a sphere of the given radius around the origin,
     * looking at the origin with +z up: its camera-to-world matrix.
     */
    public static double[] lookAtOrigin(double azimuth, double elevation, double radius) {
        double[] eye = {radius * Math.cos(elevation) * Math.cos(azimuth),
            radius * Math.cos(elevation) * Math.sin(azimuth), radius * Math.sin(elevation)};
        double[] back = normalise(eye.clone()); // camera +z points away from the target
        double[] right = normalise(cross(new double[] {0, 0, 1}, back));
        double[] up = cross(back, right);
        return new double[] {right[0], up[0], back[0], eye[0], right[1], up[1], back[1], eye[1], right[2], up[2],
            back[2], eye[2], 0, 0, 0, 1};
    }

    /** A turntable of n cameras at one elevation (same radius as lookAtOrigin). */
    public static double[][] orbit(int n, double elevation, double radius) {
        double[][] out = new double[n][];
        for (int k = 0; k < n; k++) {
            out[k] = lookAtOrigin(2 * Math.PI * k / n, elevation, radius);
        }
        return out;
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double[] normalise(double[] v) {
        double n = Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        for (int a = 0; a < 3; a++) {
            v[a] /= n;
        }
        return v;
    }

    /** Whether another scene has the same image size, focal, bounds and cameras. */
    public boolean sameCameras(Scene o) {
        if (height != o.height || width != o.width || focal != o.focal || near != o.near || far != o.far
                || views() != o.views()) {
            return false;
        }
        for (int v = 0; v < views(); v++) {
            if (!Arrays.equals(c2w[v], o.c2w[v])) {
                return false;
            }
        }
        return true;
    }
}
