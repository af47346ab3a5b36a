import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Stacks turntable GIFs written by `gradncp fit` into one PNG for the docs: one row per GIF
 * (every k-th frame), then a row of ground-truth PNG views if given after "--truth".
 *
 * Usage: java scripts/TurntableStrip.java OUT.png SCALE STEP a.gif b.gif ... [--truth v1.png v2.png ...]
 */
public class TurntableStrip {
    public static void main(String[] args) throws Exception {
        File out = new File(args[0]);
        int scale = Integer.parseInt(args[1]);
        int step = Integer.parseInt(args[2]);
        List<List<BufferedImage>> rows = new ArrayList<>();
        List<BufferedImage> truth = new ArrayList<>();
        boolean inTruth = false;
        for (int i = 3; i < args.length; i++) {
            if (args[i].equals("--truth")) {
                inTruth = true;
            } else if (inTruth) {
                truth.add(ImageIO.read(new File(args[i])));
            } else {
                rows.add(frames(new File(args[i]), step));
            }
        }
        if (!truth.isEmpty()) {
            rows.add(truth);
        }
        int w = rows.get(0).get(0).getWidth() * scale;
        int h = rows.get(0).get(0).getHeight() * scale;
        int cols = rows.stream().mapToInt(List::size).max().orElse(0);
        BufferedImage img = new BufferedImage(cols * w, rows.size() * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < rows.get(r).size(); c++) {
                g.drawImage(rows.get(r).get(c), c * w, r * h, w, h, null);
            }
        }
        g.dispose();
        ImageIO.write(img, "png", out);
    }

    private static List<BufferedImage> frames(File gif, int step) throws Exception {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        List<BufferedImage> out = new ArrayList<>();
        try (ImageInputStream in = ImageIO.createImageInputStream(gif)) {
            reader.setInput(in);
            int n = reader.getNumImages(true);
            for (int i = 0; i < n; i += step) {
                out.add(reader.read(i));
            }
        }
        return out;
    }
}
