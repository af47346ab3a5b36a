package gradncp.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.nn.Batch;
import gradncp.tensor.DType;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Class splits, seeded episodes, and the ImageFolder and IDX classification sources. */
class EpisodesTest {
    @TempDir Path dir;

    /** Class c, image i: every pixel (c * 100 + i) / 10000, so an image names its class and index. */
    private static LabelledImages tagged(int classes, int per) {
        return new LabelledImages() {
            public int classes() {
                return classes;
            }

            public int channels() {
                return 1;
            }

            public int size() {
                return 2;
            }

            public int examples(int c) {
                return per;
            }

            public float[] image(int c, int i) {
                float v = (c * 100 + i) / 10000f;
                return new float[] {v, v, v, v};
            }

            public String className(int c) {
                return "c" + c;
            }

            public String describe() {
                return "tagged";
            }
        };
    }

    @Test
    void splitIsADisjointCoverOfTheClassesAndFixed() {
        ClassSplit s = ClassSplit.of(50);
        Set<Integer> all = new HashSet<>();
        for (int[] part : new int[][] {s.train(), s.val(), s.test()}) {
            for (int c : part) {
                assertTrue(all.add(c), "class " + c + " is in two parts");
            }
        }
        assertEquals(50, all.size());
        assertEquals(32, s.train().length);
        assertEquals(8, s.val().length);
        assertArrayEquals(s.test(), ClassSplit.of(50).test());
    }

    @Test
    void episodesAreSeededLabelledByDrawAndDisjointBetweenSupportAndQuery() {
        LabelledImages data = tagged(20, 12);
        int[] classes = ClassSplit.of(20).train();
        Episodes e = new Episodes(data, classes, 3, 2, 4);
        Batch a = e.batch(5, 10, 2, DType.F64);
        Batch again = e.batch(5, 11, 1, DType.F64);
        assertArrayEquals(a.inputs().slice(0, 1, 1).toDoubleArray(), again.inputs().toDoubleArray(), 0);
        assertEquals(java.util.List.of(2, 6, 1, 2, 2), java.util.Arrays.stream(a.inputs().shape().dims()).boxed().toList());
        assertEquals(java.util.List.of(2, 12, 3), java.util.Arrays.stream(a.query().values().shape().dims()).boxed().toList());
        double[] sx = a.inputs().toDoubleArray();
        double[] sy = a.values().toDoubleArray();
        double[] qx = a.query().inputs().toDoubleArray();
        double[] qy = a.query().values().toDoubleArray();
        Set<Integer> allowed = new HashSet<>();
        for (int c : classes) {
            allowed.add(c);
        }
        for (int b = 0; b < 2; b++) {
            int[] classOfLabel = {-1, -1, -1};
            Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < 6 + 12; i++) {
                boolean support = i < 6;
                int row = support ? b * 6 + i : b * 12 + i - 6;
                double v = (support ? sx : qx)[row * 4];
                int tag = (int) Math.round(v * 10000);
                int cls = tag / 100;
                int label = -1;
                for (int j = 0; j < 3; j++) {
                    if ((support ? sy : qy)[row * 3 + j] == 1) {
                        label = j;
                    }
                }
                assertTrue(allowed.contains(cls), "class " + cls + " is not a meta-train class");
                assertTrue(classOfLabel[label] == -1 || classOfLabel[label] == cls, "a label names two classes");
                classOfLabel[label] = cls;
                assertTrue(seen.add(tag), "image " + tag + " is used twice in one episode");
            }
            assertEquals(3, java.util.Arrays.stream(classOfLabel).distinct().count(), "three distinct classes");
        }
    }

    @Test
    void tooFewClassesOrImagesAreClearErrors() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Episodes(tagged(4, 10), new int[] {0, 1}, 3, 1, 1));
        assertTrue(e.getMessage().contains("at least 3 classes"), e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> new Episodes(tagged(4, 5), new int[] {0, 1, 2}, 3, 4, 2));
        assertTrue(f.getMessage().contains("need 6 images per class"), f.getMessage());
    }

    @Test
    void imageFolderHasOneClassPerSubfolder() throws IOException {
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 2 + c; i++) {
                float v = c / 2f;
                Images.writePng(dir.resolve("class" + c + "/img" + i + ".png"), new float[] {v, v, v, v}, 2, 2, 1);
            }
        }
        LabelledImages data = ClassDatasets.load(dir.toString(), 2, 1, 0);
        assertEquals(3, data.classes());
        assertEquals(4, data.examples(2));
        assertEquals("class1", data.className(1));
        assertEquals(0.5f, data.image(1, 0)[0], 1e-2);
    }

    @Test
    void idxImagesAndLabelsGroupByLabel() throws IOException {
        Path images = dir.resolve("t10k-images-idx3-ubyte");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(images))) {
            out.writeInt(Idx.IMAGES_MAGIC);
            out.writeInt(4);
            out.writeInt(2);
            out.writeInt(2);
            for (int i = 0; i < 4; i++) {
                for (int p = 0; p < 4; p++) {
                    out.writeByte(i * 60);
                }
            }
        }
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(dir.resolve("t10k-labels-idx1-ubyte")))) {
            out.writeInt(Idx.LABELS_MAGIC);
            out.writeInt(4);
            out.write(new byte[] {7, 3, 7, 3});
        }
        LabelledImages data = ClassDatasets.load(images.toString(), 2, 1, 0);
        assertEquals(2, data.classes());
        assertEquals("3", data.className(0));
        assertEquals(60 / 255f, data.image(0, 0)[0], 1e-6);
        assertEquals(180 / 255f, data.image(0, 1)[0], 1e-6);
        var e = assertThrows(IOException.class, () -> ClassDatasets.load(dir.resolve("nope").toString(), 2, 1, 0));
        assertTrue(e.getMessage().contains("class"), e.getMessage());
    }
}
