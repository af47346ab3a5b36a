package gradncp.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The functa layout as NumPy arrays: {@code params} float32 [N, D] (fitted vectors, or deltas from
 * the init), {@code labels} int64 [N], {@code paths} [N], sorted by path. Labels that are all
 * integers are kept as they are (-1 for none); otherwise they are indices into
 * {@code label_names}, their sorted distinct values.
 */
public final class Export {
    private Export() {}

    /** Writes every committed row under {@code functa} into {@code npz}; returns N. */
    public static long npz(SparkSession spark, Path functa, Path npz) throws IOException {
        Dataset<Row> rows = FitJob.rows(spark, functa).filter("params is not null").orderBy(FitRows.PATH).cache();
        try {
            List<Row> keys = rows.select(FitRows.PATH, FitRows.LABEL).collectAsList();
            int n = keys.size();
            if (n == 0) throw new IllegalArgumentException("no fitted rows with parameters under " + functa);
            String[] paths = new String[n];
            String[] labels = new String[n];
            for (int i = 0; i < n; i++) {
                paths[i] = keys.get(i).getString(0);
                if (i > 0 && paths[i].equals(paths[i - 1])) {
                    throw new IllegalStateException(functa + " holds " + paths[i] + " twice");
                }
                labels[i] = keys.get(i).isNullAt(1) ? null : keys.get(i).getString(1);
            }
            TreeSet<String> names = new TreeSet<>();
            boolean numeric = true;
            for (String l : labels) {
                if (l == null) continue;
                names.add(l);
                numeric &= l.matches("-?\\d{1,18}");
            }
            List<String> nameList = new ArrayList<>(names);
            long[] codes = new long[n];
            for (int i = 0; i < n; i++) {
                codes[i] = labels[i] == null ? -1 : numeric ? Long.parseLong(labels[i]) : nameList.indexOf(labels[i]);
            }
            int d = ((scala.collection.Seq<?>) rows.first().getAs(FitRows.PARAMS)).size();
            try (Npz out = new Npz(npz)) {
                out.longs("labels", codes);
                out.strings("paths", paths);
                if (!numeric) out.strings("label_names", nameList.toArray(String[]::new));
                Iterator<Row> it = rows.select(FitRows.PARAMS).toLocalIterator();
                out.floats("params", n, d, new Iterator<>() {
                    public boolean hasNext() {
                        return it.hasNext();
                    }

                    public float[] next() {
                        return Fitter.floats(it.next().getAs(0));
                    }
                });
            }
            return n;
        } finally {
            rows.unpersist();
        }
    }
}
