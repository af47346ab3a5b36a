package gradncp.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads the NeRF "synthetic/Blender" layout: a scene folder holds {@code transforms_train.json},
 * {@code transforms_val.json} and/or {@code transforms_test.json} (read in that order) with
 * {@code camera_angle_x} (horizontal field of view, radians), optional {@code near}/{@code far}
 * (default 2 and 6, the synthetic set's bounds) and {@code frames}, each with a {@code file_path}
 * (".png" added when it has no extension) and a 4x4 {@code transform_matrix} (camera to world).
 * Views are resized to resolution x resolution. A folder whose subfolders are such scenes is a
 * meta-dataset. Any bad input fails with one line naming the file (malformed JSON, views of
 * different sizes, a non-invertible camera, a view without alpha when the white background needs
 * it); nothing is returned half-read.
 */
public final class BlenderScenes {
    static final String[] SPLITS = {"transforms_train.json", "transforms_val.json", "transforms_test.json"};

    private BlenderScenes() {}

    /** Whether dir is one scene (it holds a transforms_*.json). */
    public static boolean isScene(Path dir) {
        for (String s : SPLITS) {
            if (Files.isRegularFile(dir.resolve(s))) {
                return true;
            }
        }
        return false;
    }

    /** One scene, or every scene folder under a meta-dataset folder (sorted by name). */
    public static List<Scene> load(Path dir, int resolution, boolean white) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("scene data must be a folder with transforms_*.json (or a folder of"
                    + " them), got " + dir);
        }
        if (isScene(dir)) {
            return List.of(scene(dir, resolution, white));
        }
        List<Path> subs;
        try (Stream<Path> s = Files.list(dir)) {
            subs = s.filter(p -> Files.isDirectory(p) && isScene(p)).sorted().toList();
        }
        if (subs.isEmpty()) {
            throw new IllegalArgumentException("no transforms_train.json / _val / _test in " + dir
                    + " or its subfolders");
        }
        List<Scene> out = new ArrayList<>();
        for (Path p : subs) {
            out.add(scene(p, resolution, white));
        }
        return out;
    }

    /** One scene folder. */
    public static Scene scene(Path dir, int resolution, boolean white) throws IOException {
        List<double[]> cams = new ArrayList<>();
        List<float[]> views = new ArrayList<>();
        double fov = Double.NaN;
        double near = 2;
        double far = 6;
        int srcH = -1;
        int srcW = -1;
        Path first = null;
        for (String split : SPLITS) {
            Path json = dir.resolve(split);
            if (!Files.isRegularFile(json)) {
                continue;
            }
            JsonNode root;
            try {
                root = new ObjectMapper().readTree(Files.readString(json));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(json + ": malformed JSON: "
                        + e.getOriginalMessage().lines().findFirst().orElse(""), e);
            }
            JsonNode angle = root.get("camera_angle_x");
            if (angle == null || !angle.isNumber() || !(angle.asDouble() > 0 && angle.asDouble() < Math.PI)) {
                throw new IllegalArgumentException(json + ": camera_angle_x must be a number in (0, pi), got " + angle);
            }
            if (!Double.isNaN(fov) && Math.abs(fov - angle.asDouble()) > 1e-9) {
                throw new IllegalArgumentException(json + ": camera_angle_x " + angle.asDouble()
                        + " differs from the scene's other splits (" + fov + ")");
            }
            fov = angle.asDouble();
            near = number(root, "near", near, json);
            far = number(root, "far", far, json);
            JsonNode frames = root.get("frames");
            if (frames == null || !frames.isArray() || frames.isEmpty()) {
                throw new IllegalArgumentException(json + ": needs a non-empty \"frames\" array");
            }
            for (int f = 0; f < frames.size(); f++) {
                JsonNode fr = frames.get(f);
                String what = json + ": frame " + f;
                JsonNode fp = fr.get("file_path");
                if (fp == null || !fp.isTextual()) {
                    throw new IllegalArgumentException(what + ": needs a \"file_path\" string");
                }
                cams.add(matrix(fr.get("transform_matrix"), what));
                String file = fp.asText();
                boolean hasExt = file.lastIndexOf('.') > file.lastIndexOf('/') + 1;
                Path png = dir.resolve(hasExt ? file : file + ".png").normalize();
                BufferedImage img = read(png, what);
                if (srcH < 0) {
                    srcH = img.getHeight();
                    srcW = img.getWidth();
                    first = png;
                } else if (img.getHeight() != srcH || img.getWidth() != srcW) {
                    throw new IllegalArgumentException(png + ": view is " + img.getWidth() + "x" + img.getHeight()
                            + " but " + first + " is " + srcW + "x" + srcH + "; all views of a scene need one size");
                }
                if (white && !img.getColorModel().hasAlpha()) {
                    throw new IllegalArgumentException(png + ": view has no alpha channel, which the white background"
                            + " needs (set whiteBackground=false to use the colours as they are)");
                }
                views.add(straight(Resize.resize(premultiplied(img), srcH, srcW, 4, resolution, resolution)));
            }
        }
        if (cams.isEmpty()) {
            throw new IllegalArgumentException(dir + ": no transforms_*.json");
        }
        if (!(far > near) || near < 0) {
            throw new IllegalArgumentException(dir + ": needs 0 <= near < far, got near=" + near + " far=" + far);
        }
        double focal = 0.5 * resolution / Math.tan(0.5 * fov);
        return new Scene(dir.getFileName().toString(), resolution, resolution, focal, near, far,
                cams.toArray(new double[0][]), views.toArray(new float[0][]));
    }

    private static double number(JsonNode root, String key, double dflt, Path json) {
        JsonNode n = root.get(key);
        if (n == null) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw new IllegalArgumentException(json + ": " + key + " must be a number, got " + n);
        }
        return n.asDouble();
    }

    private static double[] matrix(JsonNode m, String what) {
        if (m == null || !m.isArray() || m.size() != 4) {
            throw new IllegalArgumentException(what + ": transform_matrix must be 4 rows of 4 numbers, got " + m);
        }
        double[] out = new double[16];
        for (int r = 0; r < 4; r++) {
            JsonNode row = m.get(r);
            if (!row.isArray() || row.size() != 4) {
                throw new IllegalArgumentException(what + ": transform_matrix must be 4 rows of 4 numbers, got " + m);
            }
            for (int c = 0; c < 4; c++) {
                if (!row.get(c).isNumber()) {
                    throw new IllegalArgumentException(what + ": transform_matrix has a non-number " + row.get(c));
                }
                out[4 * r + c] = row.get(c).asDouble();
            }
        }
        Scene.checkCamera(what, out);
        return out;
    }

    private static BufferedImage read(Path png, String what) throws IOException {
        if (!Files.isRegularFile(png)) {
            throw new IllegalArgumentException(what + ": view file not found: " + png);
        }
        BufferedImage img = ImageIO.read(png.toFile());
        if (img == null) {
            throw new IllegalArgumentException(png + ": not a readable image");
        }
        return img;
    }

    /**
     * Premultiplied RGBA in [0, 1], [h*w*4] (opaque when the image has no alpha), so that resizing
     * does not bleed the colour of transparent pixels into the edges.
     */
    private static float[] premultiplied(BufferedImage img) {
        int h = img.getHeight();
        int w = img.getWidth();
        float[] out = new float[h * w * 4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                int o = (y * w + x) * 4;
                out[o] = ((argb >> 16) & 255) / 255f;
                out[o + 1] = ((argb >> 8) & 255) / 255f;
                out[o + 2] = (argb & 255) / 255f;
                out[o + 3] = ((argb >>> 24) & 255) / 255f;
                for (int c = 0; c < 3; c++) {
                    out[o + c] *= out[o + 3];
                }
            }
        }
        return out;
    }

    private static float[] straight(float[] rgba) {
        for (int o = 0; o < rgba.length; o += 4) {
            float a = rgba[o + 3];
            for (int c = 0; c < 3; c++) {
                rgba[o + c] = a > 1e-6f ? Math.min(1f, rgba[o + c] / a) : 0f;
            }
        }
        return rgba;
    }

    /**
     * Writes a scene in this layout: DIR/transforms_train.json (camera_angle_x from the focal
     * length, near, far, one frame per view) and DIR/train/r_K.png (8-bit RGBA). Every file is
     * written to a temporary name first and renamed at the end, so a failure leaves no scene.
     */
    public static void write(Scene scene, Path dir) throws IOException {
        if (Files.exists(dir)) {
            throw new IOException(dir + " exists; not overwriting a scene");
        }
        Path parent = Files.createDirectories(dir.toAbsolutePath().getParent());
        Path tmp = Files.createTempDirectory(parent, ".scene");
        try {
            writeInto(scene, tmp);
            Files.move(tmp, dir);
        } finally {
            if (Files.exists(tmp)) {
                try (Stream<Path> s = Files.walk(tmp)) {
                    for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    private static void writeInto(Scene scene, Path tmp) throws IOException {
        Files.createDirectories(tmp.resolve("train"));
        ObjectMapper json = new ObjectMapper();
        var root = json.createObjectNode();
        root.put("camera_angle_x", 2 * Math.atan(0.5 * scene.width() / scene.focal()));
        root.put("near", scene.near());
        root.put("far", scene.far());
        var frames = root.putArray("frames");
        for (int v = 0; v < scene.views(); v++) {
            var f = frames.addObject();
            f.put("file_path", "./train/r_" + v);
            var m = f.putArray("transform_matrix");
            for (int r = 0; r < 4; r++) {
                var row = m.addArray();
                for (int c = 0; c < 4; c++) {
                    row.add(scene.c2w()[v][4 * r + c]);
                }
            }
            BufferedImage img = new BufferedImage(scene.width(), scene.height(), BufferedImage.TYPE_INT_ARGB);
            float[] px = scene.rgba()[v];
            for (int y = 0; y < scene.height(); y++) {
                for (int x = 0; x < scene.width(); x++) {
                    int o = (y * scene.width() + x) * 4;
                    int argb = 0;
                    for (int c = 0; c < 4; c++) {
                        int b = Math.round(Math.min(1f, Math.max(0f, px[o + c])) * 255);
                        argb |= b << (c == 3 ? 24 : 16 - 8 * c);
                    }
                    img.setRGB(x, y, argb);
                }
            }
            ImageIO.write(img, "png", tmp.resolve("train/r_" + v + ".png").toFile());
        }
        json.writerWithDefaultPrettyPrinter().writeValue(tmp.resolve(SPLITS[0]).toFile(), root);
    }
}
