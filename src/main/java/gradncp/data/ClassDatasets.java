package gradncp.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The labelled images of a classification config's {@code data}: {@code builtin:glyphs}, a folder
 * with one subfolder of images per class (the ImageFolder convention), or an IDX image file with
 * its labels file beside it (MNIST naming: {@code *-images-idx3-ubyte[.gz]} and
 * {@code *-labels-idx1-ubyte[.gz]}). Images are resized to size x size with the given channels.
 */
public final class ClassDatasets {
    public static final String BUILTIN_GLYPHS = "builtin:glyphs";

    private ClassDatasets() {}

    public static LabelledImages load(String source, int size, int channels, long seed) throws IOException {
        if (source.equals(BUILTIN_GLYPHS)) {
            if (channels != 1) {
                throw new IllegalArgumentException("builtin:glyphs are grey: set channels=1");
            }
            return Glyphs.create(size, seed);
        }
        if (source.startsWith("builtin:")) {
            throw new IllegalArgumentException("unknown built-in classification set '" + source + "'; known: "
                    + BUILTIN_GLYPHS);
        }
        Path p = Path.of(source);
        if (Files.isDirectory(p)) {
            return folder(p, size, channels);
        }
        if (Files.isRegularFile(p)) {
            return idx(p, size);
        }
        throw new IOException("classification data not found: " + p.toAbsolutePath() + " (a folder of class"
                + " subfolders, an IDX image file, or builtin:glyphs)");
    }

    private static LabelledImages folder(Path dir, int size, int channels) throws IOException {
        List<Path> subs;
        try (Stream<Path> s = Files.list(dir)) {
            subs = s.filter(Files::isDirectory).sorted().toList();
        }
        if (subs.size() < 3) {
            throw new IOException(dir + " has " + subs.size() + " class subfolder(s); an image folder for"
                    + " classification needs one subfolder of images per class, and at least 3 classes");
        }
        List<float[][]> images = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Path sub : subs) {
            ImageSet set = Images.loadFolder(sub, size, channels, Images.FolderOptions.DEFAULT);
            float[][] chw = new float[set.size()][];
            for (int i = 0; i < chw.length; i++) {
                chw[i] = LabelledImages.channelsFirst(set.images()[i], size, channels);
            }
            images.add(chw);
            names.add(sub.getFileName().toString());
        }
        return new ImageClasses(images, names, size, channels, dir + " (" + subs.size() + " classes, " + size + " px)");
    }

    private static LabelledImages idx(Path imagesFile, int size) throws IOException {
        String name = imagesFile.getFileName().toString();
        if (!name.contains("images-idx3")) {
            throw new IOException("an IDX image file for classification must be named *-images-idx3-ubyte[.gz] with"
                    + " its labels in *-labels-idx1-ubyte[.gz] beside it, got " + imagesFile);
        }
        Path labelsFile = imagesFile.resolveSibling(name.replace("images-idx3", "labels-idx1"));
        ImageSet set = Idx.readImages(imagesFile, size, 0);
        int[] labels = Idx.readLabels(labelsFile);
        if (labels.length != set.size()) {
            throw new IOException(labelsFile + " has " + labels.length + " labels for " + set.size() + " images in "
                    + imagesFile);
        }
        int max = 0;
        for (int l : labels) {
            max = Math.max(max, l);
        }
        int[] count = new int[max + 1];
        for (int l : labels) {
            count[l]++;
        }
        List<float[][]> images = new ArrayList<>();
        List<String> names = new ArrayList<>();
        int[] next = new int[max + 1];
        List<float[][]> byLabel = new ArrayList<>();
        for (int c = 0; c <= max; c++) {
            byLabel.add(new float[count[c]][]);
        }
        for (int i = 0; i < labels.length; i++) {
            byLabel.get(labels[i])[next[labels[i]]++] = set.images()[i];
        }
        for (int c = 0; c <= max; c++) {
            if (count[c] > 0) {
                images.add(byLabel.get(c));
                names.add(Integer.toString(c));
            }
        }
        return new ImageClasses(images, names, size, 1, imagesFile + " (" + images.size() + " labels, " + size + " px)");
    }

    /** Images held in memory, grouped by class. */
    private record ImageClasses(List<float[][]> images, List<String> names, int size, int channels, String describe)
            implements LabelledImages {
        @Override
        public int classes() {
            return images.size();
        }

        @Override
        public int examples(int c) {
            return images.get(c).length;
        }

        @Override
        public float[] image(int c, int i) {
            return images.get(c)[i];
        }

        @Override
        public String className(int c) {
            return names.get(c);
        }
    }
}
