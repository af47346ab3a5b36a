import gradncp.data.BlenderScenes;
import gradncp.data.Scene;
import gradncp.data.ToyCars;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes built-in cars in the Blender layout (one scene folder each), e.g. the held-out test
 * draw of a run (seed + 7919, as train and eval use) for `gradncp fit`.
 *
 * Usage: java -cp target/gradncp-*.jar:target/lib/* scripts/ExportCars.java OUT COUNT VIEWS SIZE SEED
 */
public class ExportCars {
    public static void main(String[] a) throws Exception {
        List<Scene> cars = ToyCars.generate(Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]),
                Long.parseLong(a[4]));
        for (Scene s : cars) {
            BlenderScenes.write(s, Path.of(a[0]).resolve(s.name()));
        }
    }
}
