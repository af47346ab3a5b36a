package gradncp.spark;

import gradncp.config.MetaConfig;
import gradncp.data.ImageSet;
import gradncp.data.Images;
import gradncp.data.Resize;
import gradncp.metrics.Psnr;
import gradncp.metrics.Ssim;
import gradncp.nn.Params;
import gradncp.nn.SirenSpec;
import gradncp.run.Checkpoint;
import gradncp.run.Evaluator;
import gradncp.run.Render;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * The task side of a distributed fit: adapts the checkpoint's init to every image of a partition
 * with the core's {@link Evaluator#fit} (plain or rescaled, exactly as {@code gradncp fit}), in
 * batches of {@link FitSpec#batch()}, and returns one {@link FitRows#OUTPUT} row per image.
 */
public final class Fitter {
    private Fitter() {}

    /** Fits every {@link FitRows#INPUT} row of {@code rows}; the result is computed eagerly per batch. */
    public static Iterator<Row> fit(Iterator<Row> rows, FitSpec spec, byte[] checkpoint) {
        Checkpoint.Loaded c = Checkpoints.of(checkpoint);
        List<Row> out = new ArrayList<>();
        List<Row> batch = new ArrayList<>(spec.batch());
        while (rows.hasNext()) {
            batch.add(rows.next());
            if (batch.size() == spec.batch() || !rows.hasNext()) {
                out.addAll(fitBatch(c, batch, spec));
                batch.clear();
            }
        }
        return out.iterator();
    }

    /** The images of input rows at the checkpoint's resolution and channels, centre-cropped and resized. */
    public static ImageSet images(Checkpoint.Loaded c, List<Row> rows) {
        MetaConfig cfg = config(c);
        int r = cfg.resolution();
        int ch = siren(c).outDim();
        float[][] px = new float[rows.size()][];
        List<String> names = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            String path = row.getAs(FitRows.PATH);
            names.add(path);
            byte[] content = row.getAs(FitRows.CONTENT);
            if (content != null) {
                try {
                    Images.Image img = Images.decode(content, path, ch);
                    px[i] = Resize.squareResize(img.pixels(), img.height(), img.width(), ch, r);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            } else {
                scala.collection.Seq<Object> seq = row.getAs(FitRows.PIXELS);
                if (seq == null) {
                    throw new IllegalArgumentException(path + ": a row needs '" + FitRows.CONTENT + "' or '"
                            + FitRows.PIXELS + "'");
                }
                px[i] = floats(seq);
                if (px[i].length != r * r * ch) {
                    throw new IllegalArgumentException(path + ": " + px[i].length + " pixels, the checkpoint needs "
                            + r + "x" + r + "x" + ch);
                }
            }
        }
        return new ImageSet(px, r, ch, names);
    }

    private static List<Row> fitBatch(Checkpoint.Loaded c, List<Row> rows, FitSpec spec) {
        MetaConfig cfg = config(c);
        ImageSet set = images(c, rows);
        Evaluator.Protocol p = protocol(cfg, spec.steps());
        long t0 = System.nanoTime();
        Evaluator.Fitted fitted = Evaluator.fit(c.decoder(), c.params(), set, p, spec.rescale(), spec.keepParams());
        double ms = (System.nanoTime() - t0) / 1e6 / rows.size();
        float[] init = spec.delta() ? flatten(c.params()) : null;
        int r = set.resolution();
        List<Row> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            float[] pred = fitted.predictions()[i];
            float[] target = set.image(i);
            float[] params = null;
            if (spec.keepParams()) {
                params = flatten(Render.signal(fitted.params(), i));
                if (init != null) {
                    for (int j = 0; j < params.length; j++) {
                        params[j] -= init[j];
                    }
                }
            }
            out.add(RowFactory.create(rows.get(i).getAs(FitRows.PATH), rows.get(i).getAs(FitRows.LABEL),
                    params == null ? null : boxed(params), spec.delta(), Psnr.of(pred, target),
                    Ssim.of(pred, target, r, r, set.channels()), spec.steps(), spec.rescale(), ms));
        }
        return out;
    }

    /** The test protocol of {@code gradncp fit}: the config's inner lr and context ratio, these steps. */
    public static Evaluator.Protocol protocol(MetaConfig cfg, int steps) {
        return new Evaluator.Protocol(steps, cfg.innerLr(), Evaluator.Protocol.of(cfg).contextRatio());
    }

    static MetaConfig config(Checkpoint.Loaded c) {
        return c.config() != null ? c.config() : MetaConfig.defaults();
    }

    static SirenSpec siren(Checkpoint.Loaded c) {
        if (!(c.decoder() instanceof SirenSpec s) || config(c).modality() != MetaConfig.Modality.IMAGE) {
            throw new IllegalArgumentException("the distributed fit reads images: it needs an image SIREN checkpoint,"
                    + " not " + c.decoder().tag() + " / " + config(c).modality());
        }
        return s;
    }

    /** Every tensor of one signal's parameters, flattened in order. */
    public static float[] flatten(Params p) {
        int n = 0;
        List<float[]> parts = new ArrayList<>(p.size());
        for (int i = 0; i < p.size(); i++) {
            float[] f = p.get(i).toFloatArray();
            parts.add(f);
            n += f.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] f : parts) {
            System.arraycopy(f, 0, out, at, f.length);
            at += f.length;
        }
        return out;
    }

    static float[] floats(scala.collection.Seq<Object> seq) {
        float[] out = new float[seq.size()];
        scala.collection.Iterator<Object> it = seq.iterator();
        for (int i = 0; it.hasNext(); i++) {
            out[i] = (Float) it.next();
        }
        return out;
    }

    private static Float[] boxed(float[] f) {
        Float[] out = new Float[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }
}
