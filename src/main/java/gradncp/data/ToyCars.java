package gradncp.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The built-in object class {@code builtin:cars}: toy cars made of boxes (body, cabin), capped
 * cylinders (wheels) and spheres (headlights), with seeded variation in proportions and colours,
 * rendered by a small ray-caster with Lambertian shading (view-independent colours) and 2x2
 * supersampling (soft alpha at the edges). Every scene has the same cameras: views on a sphere of
 * radius {@link #RADIUS} around the origin, looking at it, +z up; view 0 is the input view of
 * meta-test. It plays the role of ShapeNet Cars (ALGORITHM.md, NeRF).
 */
public final class ToyCars {
    public static final double RADIUS = 3.2;
    public static final double NEAR = 1.6;
    public static final double FAR = 4.8;
    /** Horizontal field of view, radians. */
    public static final double FOV = Math.toRadians(40);
    private static final double[] LIGHT = unit(0.4, -0.5, 0.77);

    private ToyCars() {}

    /** The focal length in pixels of a view of the given width. */
    public static double focal(int width) {
        return 0.5 * width / Math.tan(0.5 * FOV);
    }

    /**
     * The shared cameras: view k at azimuth 2 pi k phi (phi the golden ratio's fractional part) and
     * elevation cycling through 15, 30, 45 degrees, so the views spread around the object.
     */
    public static double[][] cameras(int views) {
        double[][] out = new double[views][];
        double phi = (Math.sqrt(5) - 1) / 2;
        for (int k = 0; k < views; k++) {
            double az = 2 * Math.PI * ((k * phi + 0.125) % 1.0);
            double el = Math.toRadians(15 + 15 * (k % 3));
            out[k] = Scene.lookAtOrigin(az, el, RADIUS);
        }
        return out;
    }

    /** count cars with the given views at size x size pixels, drawn from seed. */
    public static List<Scene> generate(int count, int views, int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] cams = cameras(views);
        List<Scene> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Car car = Car.draw(rng.split());
            float[][] rgba = new float[views][];
            for (int v = 0; v < views; v++) {
                rgba[v] = render(car, cams[v], size, size, focal(size));
            }
            out.add(new Scene("car" + i, size, size, focal(size), NEAR, FAR, cams, rgba));
        }
        return out;
    }

    /** A car's primitives: boxes [min xyz, max xyz], wheels (cylinders along y), spheres; one albedo each. */
    record Car(List<double[]> boxes, List<double[]> cylinders, List<double[]> spheres, List<double[]> colours) {
        static Car draw(SplittableRandom r) {
            double len = r.nextDouble(1.5, 2.1);
            double wid = r.nextDouble(0.7, 0.95);
            double wheel = r.nextDouble(0.18, 0.28);
            double bodyLo = wheel * 0.6;
            double bodyHi = bodyLo + r.nextDouble(0.3, 0.45);
            double cabLen = len * r.nextDouble(0.4, 0.6);
            double cabOff = r.nextDouble(-0.2, 0.15) * len;
            double cabHi = bodyHi + r.nextDouble(0.25, 0.4);
            double cabWid = wid * r.nextDouble(0.8, 0.95);
            double hue = r.nextDouble();
            double[] body = hsv(hue, r.nextDouble(0.5, 0.95), r.nextDouble(0.55, 0.95));
            double[] cabin = hsv(r.nextDouble(0.5, 0.7), 0.3, r.nextDouble(0.3, 0.5)); // bluish glass
            double[] tyre = {0.12, 0.12, 0.12};
            double[] lamp = {1.0, 0.95, 0.6};
            List<double[]> boxes = new ArrayList<>();
            List<double[]> cyl = new ArrayList<>();
            List<double[]> sph = new ArrayList<>();
            List<double[]> col = new ArrayList<>();
            double zc = -0.4; // lower the car so that it sits around the origin
            boxes.add(new double[] {-len / 2, -wid / 2, bodyLo + zc, len / 2, wid / 2, bodyHi + zc});
            col.add(body);
            boxes.add(new double[] {cabOff - cabLen / 2, -cabWid / 2, bodyHi + zc, cabOff + cabLen / 2, cabWid / 2,
                cabHi + zc});
            col.add(cabin);
            double wx = len / 2 - wheel * 1.3;
            for (double sx : new double[] {-1, 1}) {
                for (double sy : new double[] {-1, 1}) {
                    // centre x, centre y, centre z, radius, half-thickness
                    cyl.add(new double[] {sx * wx, sy * (wid / 2), wheel + zc, wheel, 0.09});
                    col.add(tyre);
                }
            }
            for (double sy : new double[] {-1, 1}) {
                sph.add(new double[] {len / 2, sy * wid * 0.3, (bodyLo + bodyHi) / 2 + zc, 0.07});
                col.add(lamp);
            }
            return new Car(boxes, cyl, sph, col);
        }
    }

    /** RGBA [h*w*4] of a car seen by camera c2w, 2x2 samples per pixel. */
    static float[] render(Car car, double[] c2w, int h, int w, double focal) {
        float[] out = new float[h * w * 4];
        double[] o = {c2w[3], c2w[7], c2w[11]};
        double[] d = new double[3];
        for (int j = 0; j < h; j++) {
            for (int i = 0; i < w; i++) {
                double[] acc = new double[4];
                for (int sj = 0; sj < 2; sj++) {
                    for (int si = 0; si < 2; si++) {
                        double x = (i + 0.25 + 0.5 * si - 0.5 * w) / focal;
                        double y = -(j + 0.25 + 0.5 * sj - 0.5 * h) / focal;
                        for (int a = 0; a < 3; a++) {
                            d[a] = c2w[4 * a] * x + c2w[4 * a + 1] * y - c2w[4 * a + 2];
                        }
                        double[] hit = trace(car, o, d);
                        if (hit != null) {
                            for (int a = 0; a < 3; a++) {
                                acc[a] += hit[a];
                            }
                            acc[3] += 1;
                        }
                    }
                }
                int p = (j * w + i) * 4;
                // premultiplied sums -> straight colour and coverage
                for (int a = 0; a < 3; a++) {
                    out[p + a] = acc[3] > 0 ? (float) (acc[a] / acc[3]) : 0f;
                }
                out[p + 3] = (float) (acc[3] / 4);
            }
        }
        return out;
    }

    /** The shaded colour of the nearest hit along o + t d, or null. */
    private static double[] trace(Car car, double[] o, double[] d) {
        double best = Double.POSITIVE_INFINITY;
        double[] normal = null;
        int which = -1;
        int k = 0;
        for (double[] b : car.boxes()) {
            double[] hit = box(b, o, d);
            if (hit != null && hit[0] < best) {
                best = hit[0];
                normal = new double[] {hit[1], hit[2], hit[3]};
                which = k;
            }
            k++;
        }
        for (double[] c : car.cylinders()) {
            double[] hit = cylinder(c, o, d);
            if (hit != null && hit[0] < best) {
                best = hit[0];
                normal = new double[] {hit[1], hit[2], hit[3]};
                which = k;
            }
            k++;
        }
        for (double[] s : car.spheres()) {
            double[] hit = sphere(s, o, d);
            if (hit != null && hit[0] < best) {
                best = hit[0];
                normal = new double[] {hit[1], hit[2], hit[3]};
                which = k;
            }
            k++;
        }
        if (which < 0) {
            return null;
        }
        double lambert = Math.max(0, normal[0] * LIGHT[0] + normal[1] * LIGHT[1] + normal[2] * LIGHT[2]);
        double shade = 0.4 + 0.6 * lambert;
        double[] c = car.colours().get(which);
        return new double[] {c[0] * shade, c[1] * shade, c[2] * shade};
    }

    /** Slab test: {t, normal} of the entry point, or null. */
    private static double[] box(double[] b, double[] o, double[] d) {
        double tin = -Double.MAX_VALUE;
        double tout = Double.MAX_VALUE;
        int axis = -1;
        double sign = 0;
        for (int a = 0; a < 3; a++) {
            double inv = 1 / d[a];
            double t0 = (b[a] - o[a]) * inv;
            double t1 = (b[a + 3] - o[a]) * inv;
            double s = -1;
            if (t0 > t1) {
                double t = t0;
                t0 = t1;
                t1 = t;
                s = 1;
            }
            if (t0 > tin) {
                tin = t0;
                axis = a;
                sign = s;
            }
            tout = Math.min(tout, t1);
        }
        if (tin > tout || tin <= 0) {
            return null;
        }
        double[] n = {0, 0, 0};
        n[axis] = sign;
        return new double[] {tin, n[0], n[1], n[2]};
    }

    /** A cylinder along y (centre, radius, half-thickness), capped: {t, normal} or null. */
    private static double[] cylinder(double[] c, double[] o, double[] d) {
        double best = Double.POSITIVE_INFINITY;
        double[] n = null;
        double ox = o[0] - c[0];
        double oz = o[2] - c[2];
        double qa = d[0] * d[0] + d[2] * d[2];
        double qb = 2 * (ox * d[0] + oz * d[2]);
        double qc = ox * ox + oz * oz - c[3] * c[3];
        double disc = qb * qb - 4 * qa * qc;
        if (qa > 1e-12 && disc >= 0) {
            double t = (-qb - Math.sqrt(disc)) / (2 * qa);
            double y = o[1] + t * d[1];
            if (t > 0 && Math.abs(y - c[1]) <= c[4]) {
                best = t;
                n = new double[] {(ox + t * d[0]) / c[3], 0, (oz + t * d[2]) / c[3]};
            }
        }
        for (double s : new double[] {-1, 1}) {
            if (Math.abs(d[1]) < 1e-12) {
                continue;
            }
            double t = (c[1] + s * c[4] - o[1]) / d[1];
            double x = ox + t * d[0];
            double z = oz + t * d[2];
            if (t > 0 && t < best && x * x + z * z <= c[3] * c[3]) {
                best = t;
                n = new double[] {0, s, 0};
            }
        }
        return n == null ? null : new double[] {best, n[0], n[1], n[2]};
    }

    private static double[] sphere(double[] s, double[] o, double[] d) {
        double[] oc = {o[0] - s[0], o[1] - s[1], o[2] - s[2]};
        double a = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
        double b = 2 * (oc[0] * d[0] + oc[1] * d[1] + oc[2] * d[2]);
        double c = oc[0] * oc[0] + oc[1] * oc[1] + oc[2] * oc[2] - s[3] * s[3];
        double disc = b * b - 4 * a * c;
        if (disc < 0) {
            return null;
        }
        double t = (-b - Math.sqrt(disc)) / (2 * a);
        if (t <= 0) {
            return null;
        }
        return new double[] {t, (oc[0] + t * d[0]) / s[3], (oc[1] + t * d[1]) / s[3], (oc[2] + t * d[2]) / s[3]};
    }

    private static double[] unit(double x, double y, double z) {
        double n = Math.sqrt(x * x + y * y + z * z);
        return new double[] {x / n, y / n, z / n};
    }

    /** HSV in [0, 1] to RGB. */
    private static double[] hsv(double h, double s, double v) {
        double hh = (h % 1.0) * 6;
        int i = (int) Math.floor(hh);
        double f = hh - i;
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        return switch (i % 6) {
            case 0 -> new double[] {v, t, p};
            case 1 -> new double[] {q, v, p};
            case 2 -> new double[] {p, v, t};
            case 3 -> new double[] {p, q, v};
            case 4 -> new double[] {t, p, v};
            default -> new double[] {v, p, q};
        };
    }
}
