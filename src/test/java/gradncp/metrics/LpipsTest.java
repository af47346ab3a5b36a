package gradncp.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.io.Safetensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LpipsTest {
    @TempDir Path tmp;

    /** Same as golden/lpips_ref.py uniform(): splitmix64 finaliser of (t << 32 | i), top 24 bits. */
    static double uniform(long t, long i) {
        long z = (t << 32 | i) + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 40) / (double) (1 << 24);
    }

    /** golden/lpips_ref.py hash_weights(), named as in lpips.LPIPS(net='alex').state_dict(). */
    static Map<String, Safetensors.Entry> hashWeights() {
        Map<String, Safetensors.Entry> t = new LinkedHashMap<>();
        t.put("scaling_layer.shift", Safetensors.Entry.f32(new int[] {1, 3, 1, 1}, new float[] {-.030f, -.088f, -.188f}));
        t.put("scaling_layer.scale", Safetensors.Entry.f32(new int[] {1, 3, 1, 1}, new float[] {.458f, .448f, .450f}));
        for (int k = 0; k < 5; k++) {
            int co = Lpips.CHANNELS[k], ci = Lpips.IN[k], ks = Lpips.KERNEL[k], fan = ci * ks * ks;
            float[] w = new float[co * fan], b = new float[co], lin = new float[co];
            double s = Math.sqrt(6.0 / fan);
            for (int i = 0; i < w.length; i++) w[i] = (float) ((2 * uniform(3 * k, i) - 1) * s);
            for (int i = 0; i < co; i++) b[i] = (float) ((2 * uniform(3 * k + 1, i) - 1) * 0.05);
            for (int i = 0; i < co; i++) lin[i] = (float) (uniform(3 * k + 2, i) / co);
            String p = "net.slice" + (k + 1) + "." + Lpips.FEATURE_INDEX[k] + ".";
            t.put(p + "weight", Safetensors.Entry.f32(new int[] {co, ci, ks, ks}, w));
            t.put(p + "bias", Safetensors.Entry.f32(new int[] {co}, b));
            t.put("lin" + k + ".model.1.weight", Safetensors.Entry.f32(new int[] {1, co, 1, 1}, lin));
        }
        return t;
    }

    static float[] u(long t, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) uniform(t, i);
        return x;
    }

    static float clamp(double v) {
        return (float) Math.min(1, Math.max(0, v));
    }

    /** b = clamp(a + amp * (2u - 1)) with u from stream t. */
    static float[] perturb(float[] a, long t, double amp) {
        float[] b = new float[a.length];
        for (int i = 0; i < a.length; i++) b[i] = clamp(a[i] + amp * (2 * uniform(t, i) - 1));
        return b;
    }

    record Pair(String name, float[] a, float[] b, int h, int w, int c) {}

    /** Same as golden/lpips_ref.py pairs(). */
    static List<Pair> pairs() {
        float[] a1 = u(102, 64 * 64 * 3), a2 = u(104, 64 * 64);
        int h = 40, w = 56;
        float[] ramps = new float[h * w * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = (y * w + x) * 3;
                ramps[at] = (float) (y / (double) (h - 1));
                ramps[at + 1] = (float) (x / (double) (w - 1));
                ramps[at + 2] = (float) ((x + y) / (double) (h + w - 2));
            }
        }
        return List.of(new Pair("independent noise", u(100, 64 * 64 * 3), u(101, 64 * 64 * 3), 64, 64, 3),
                new Pair("noise +-0.1", a1, perturb(a1, 103, 0.1), 64, 64, 3),
                new Pair("grey noise +-0.3", a2, perturb(a2, 105, 0.3), 64, 64, 1),
                new Pair("ramps +-0.05", ramps, perturb(ramps, 106, 0.05), h, w, 3));
    }

    /** Printed by golden/lpips_ref.py (torch 1.13, float64), in pairs() order. */
    static final double[] EXPECTED = {
        0.011089332867108576, 0.00033195965304130636, 0.002217661078454253, 0.0002285152308015804};

    @Test
    void matchesPyTorchReimplementationOnHashWeights() throws IOException {
        Path file = tmp.resolve("lpips_hash.safetensors");
        Safetensors.write(file, hashWeights(), Map.of());
        Lpips lpips = Lpips.load(file).orElseThrow();
        List<Pair> ps = pairs();
        for (int i = 0; i < ps.size(); i++) {
            Pair p = ps.get(i);
            double d = lpips.distance(p.a(), p.b(), p.h(), p.w(), p.c());
            System.out.printf("LPIPS %-18s java %.17g torch %.17g rel %.2e%n", p.name(), d, EXPECTED[i],
                    Math.abs(d - EXPECTED[i]) / EXPECTED[i]);
            assertEquals(EXPECTED[i], d, 1e-5 * EXPECTED[i], p.name());
        }
    }

    @Test
    void torchvisionNamesGiveTheSameNetwork() throws IOException {
        Map<String, Safetensors.Entry> tv = new LinkedHashMap<>();
        hashWeights().forEach((k, v) -> {
            if (k.startsWith("net.slice")) tv.put("features." + k.substring(k.indexOf('.', 4) + 1), v);
            else if (k.startsWith("lin")) tv.put("lins." + k.substring(3), v);
        });
        assertTrue(tv.containsKey("features.10.weight") && tv.containsKey("lins.4.model.1.weight"), tv.keySet()::toString);
        Pair p = pairs().get(1);
        double a = Lpips.fromTensors(hashWeights(), "lpips").distance(p.a(), p.b(), 64, 64, 3);
        double b = Lpips.fromTensors(tv, "torchvision").distance(p.a(), p.b(), 64, 64, 3);
        assertEquals(a, b, 0.0);
    }

    @Test
    void metricPropertiesWithRandomWeights() {
        Lpips lpips = Lpips.random(7);
        float[] x = u(200, 48 * 48 * 3), y = u(201, 48 * 48 * 3);
        assertEquals(0.0, lpips.distance(x, x, 48, 48, 3), 0.0);
        double xy = lpips.distance(x, y, 48, 48, 3);
        assertTrue(xy > 0, "distance of different images " + xy);
        assertEquals(xy, lpips.distance(y, x, 48, 48, 3), 1e-15 * xy);
        double prev = 0;
        for (double amp : new double[] {0.02, 0.1, 0.4}) {
            double d = lpips.distance(x, perturb(x, 202, amp), 48, 48, 3);
            assertTrue(d > prev, "noise " + amp + " gave " + d + " <= " + prev);
            prev = d;
        }
    }

    @Test
    void greyIsRepeatedToThreeChannels() {
        Lpips lpips = Lpips.random(3);
        float[] g = u(300, 32 * 40), h = perturb(g, 301, 0.2);
        float[] g3 = new float[g.length * 3], h3 = new float[g.length * 3];
        for (int i = 0; i < g.length; i++) {
            for (int c = 0; c < 3; c++) {
                g3[i * 3 + c] = g[i];
                h3[i * 3 + c] = h[i];
            }
        }
        assertEquals(lpips.distance(g3, h3, 32, 40, 3), lpips.distance(g, h, 32, 40, 1), 0.0);
    }

    @Test
    void rejectsBadInputs() {
        Lpips lpips = Lpips.random(1);
        var e = assertThrows(IllegalArgumentException.class, () -> lpips.distance(new float[30 * 40 * 3],
                new float[30 * 40 * 3], 30, 40, 3));
        assertTrue(e.getMessage().contains("at least 31"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> lpips.distance(new float[32 * 32 * 3],
                new float[32 * 32 * 2], 32, 32, 3));
        assertThrows(IllegalArgumentException.class, () -> lpips.distance(new float[32 * 32 * 2],
                new float[32 * 32 * 2], 32, 32, 2));
    }

    @Test
    void loadWithoutFileIsEmpty() throws IOException {
        assertTrue(Lpips.load(null).isEmpty());
        assertTrue(Lpips.load(tmp.resolve("nope.safetensors")).isEmpty());
        assertEquals("LPIPS unavailable: no weights file", Lpips.UNAVAILABLE);
    }

    @Test
    void malformedWeightsNameTheProblem() throws IOException {
        Map<String, Safetensors.Entry> t = hashWeights();
        t.remove("net.slice3.6.bias");
        t.remove("lin4.model.1.weight");
        t.put("net.slice2.3.weight", Safetensors.Entry.f32(new int[] {192, 64, 3, 3}, new float[192 * 64 * 9]));
        Path file = tmp.resolve("bad.safetensors");
        Safetensors.write(file, t, Map.of());
        var e = assertThrows(IllegalArgumentException.class, () -> Lpips.load(file));
        String m = e.getMessage();
        assertTrue(m.contains("net.slice3.6.bias") && m.contains("lin4.model.1.weight"), m);
        assertTrue(m.contains("net.slice2.3.weight is [192, 64, 3, 3], expected [192, 64, 5, 5]"), m);
        assertTrue(m.contains(file.toString()), m);
    }
}
