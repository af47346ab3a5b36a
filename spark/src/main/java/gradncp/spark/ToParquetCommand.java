package gradncp.spark;

import gradncp.data.ImageSet;
import gradncp.data.Idx;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code gradncp spark to-parquet}: an IDX image file (MNIST, Fashion-MNIST) and its labels as
 * distributed-fit input rows (path FILE#i, label, pixels), the raw-pixel baseline of classify too.
 */
@Command(name = "to-parquet", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Convert IDX images (+ labels) into Parquet rows: path, label, pixels (R*R floats in [0, 1]).")
public final class ToParquetCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin SparkOptions spark;

    @Option(names = "--images", required = true, paramLabel = "IDX", description = "IDX image file (.gz or not).")
    Path images;

    @Option(names = "--labels", paramLabel = "IDX", description = "IDX label file (.gz or not).")
    Path labels;

    @Option(names = "--resolution", defaultValue = "0", description = "Resize to this side (0: native).")
    int resolution;

    @Option(names = "--limit", defaultValue = "0", description = "First N images only (0: all).")
    int limit;

    @Option(names = "--out", required = true, paramLabel = "DIR.parquet", description = "Output folder.")
    Path out;

    @Override
    public Integer call() throws Exception {
        ImageSet set = Idx.readImages(images, resolution, limit);
        int[] lab = labels == null ? null : readLabels(labels, set.size());
        List<Row> rows = new ArrayList<>(set.size());
        for (int i = 0; i < set.size(); i++) {
            float[] px = set.image(i);
            Float[] boxed = new Float[px.length];
            for (int k = 0; k < px.length; k++) boxed[k] = px[k];
            rows.add(RowFactory.create(images.getFileName() + "#" + String.format("%06d", i),
                    lab == null ? null : Integer.toString(lab[i]), null, boxed));
        }
        try (SparkSession s = spark.open("gradncp-to-parquet")) {
            s.createDataFrame(rows, FitRows.INPUT).drop(FitRows.CONTENT).coalesce(4).write().mode(SaveMode.Overwrite)
                    .parquet(out.toString());
        }
        spec.commandLine().getOut().printf("wrote %d rows (%dx%d) to %s%n", set.size(), set.resolution(),
                set.resolution(), out);
        return 0;
    }

    /** The first n labels of an IDX label file (magic 0x801). */
    static int[] readLabels(Path file, int n) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (file.getFileName().toString().endsWith(".gz")) raw = new GZIPInputStream(raw);
        try (DataInputStream in = new DataInputStream(raw)) {
            int magic = in.readInt();
            if (magic != 0x801) throw new IOException(file + " is not an IDX label file (magic " + magic + ")");
            int count = in.readInt();
            if (count < n) throw new IOException(file + " has " + count + " labels for " + n + " images");
            int[] out = new int[n];
            for (int i = 0; i < n; i++) out[i] = in.readUnsignedByte();
            return out;
        }
    }
}
