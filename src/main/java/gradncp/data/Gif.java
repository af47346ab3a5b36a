package gradncp.data;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Node;

/**
 * Animated GIF reading and writing with the JDK's {@code javax.imageio} GIF plugin.
 *
 * <p>Reading composes every frame onto the logical screen as a viewer would: a frame is drawn at
 * its (left, top) offset over the canvas, transparent pixels keep what is below, and then its
 * disposal method is applied before the next frame ("none"/"doNotDispose": keep; "restoreToBackgroundColor":
 * clear its rectangle; "restoreToPrevious": restore the canvas as it was before the frame).
 * Cleared and never-painted pixels are transparent and come out black (alpha is dropped,
 * as in {@link Images}); the background colour index is ignored, as browsers do.
 *
 * <p>Writing: GIF holds at most 256 colours per frame. A frame whose pixels are all grey
 * (r = g = b within 0.5/255) uses a 256-level grey palette, so 8-bit grey video is stored exactly.
 * Other frames are quantised without dithering to the nearest colour of a fixed uniform
 * 6 x 7 x 6 RGB palette (levels i/5, i/6, i/5): the error is at most 0.1 per red/blue value and
 * 0.083 per green value. Use PNG frames when colour fidelity matters. Every frame is full-size with
 * disposal "none", not interlaced, and the NETSCAPE2.0 application extension makes the animation loop forever.
 */
final class Gif {
    private static final String IMAGE_FORMAT = "javax_imageio_gif_image_1.0";
    private static final String STREAM_FORMAT = "javax_imageio_gif_stream_1.0";

    private Gif() {}

    /** The composed frames of a GIF, each a full logical-screen TYPE_INT_ARGB image. */
    static List<BufferedImage> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("GIF file not found: " + file.toAbsolutePath());
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("gif");
        if (!readers.hasNext()) throw new IOException("no GIF reader in this JDK (javax.imageio)");
        ImageReader reader = readers.next();
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            reader.setInput(in, false);
            int n = reader.getNumImages(true);
            if (n < 1) throw new IOException("GIF " + file + " has no frames");
            int[] screen = logicalScreen(reader.getStreamMetadata());
            List<BufferedImage> raw = new ArrayList<>(n);
            List<Node> meta = new ArrayList<>(n);
            boolean union = screen[0] <= 0 || screen[1] <= 0; // no logical screen: use the frames' union
            int sw = union ? 0 : screen[0], sh = union ? 0 : screen[1];
            for (int i = 0; i < n; i++) {
                raw.add(reader.read(i));
                meta.add(reader.getImageMetadata(i).getAsTree(IMAGE_FORMAT));
                int[] d = descriptor(meta.get(i));
                if (union) {
                    sw = Math.max(sw, d[0] + raw.get(i).getWidth());
                    sh = Math.max(sh, d[1] + raw.get(i).getHeight());
                }
            }
            BufferedImage canvas = new BufferedImage(sw, sh, BufferedImage.TYPE_INT_ARGB);
            List<BufferedImage> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int[] d = descriptor(meta.get(i));
                String disposal = disposal(meta.get(i));
                BufferedImage before = disposal.equals("restoreToPrevious") ? copy(canvas) : null;
                Graphics2D g = canvas.createGraphics();
                g.drawImage(raw.get(i), d[0], d[1], null); // SrcOver: transparent pixels keep the canvas
                out.add(copy(canvas));
                if (disposal.equals("restoreToBackgroundColor")) {
                    g.setComposite(AlphaComposite.Clear);
                    g.fillRect(d[0], d[1], raw.get(i).getWidth(), raw.get(i).getHeight());
                } else if (before != null) {
                    canvas = before;
                }
                g.dispose();
            }
            return out;
        } catch (RuntimeException e) { // the JDK plugin throws e.g. ArrayIndexOutOfBounds on corrupt files
            throw new IOException("cannot decode GIF " + file + ": " + e, e);
        } finally {
            reader.dispose();
        }
    }

    private static int[] logicalScreen(IIOMetadata stream) {
        if (stream == null) return new int[] {0, 0};
        Node lsd = child(stream.getAsTree(STREAM_FORMAT), "LogicalScreenDescriptor");
        if (lsd == null) return new int[] {0, 0};
        return new int[] {intAttr(lsd, "logicalScreenWidth"), intAttr(lsd, "logicalScreenHeight")};
    }

    private static int[] descriptor(Node imageMeta) {
        Node d = child(imageMeta, "ImageDescriptor");
        return d == null ? new int[] {0, 0} : new int[] {intAttr(d, "imageLeftPosition"), intAttr(d, "imageTopPosition")};
    }

    private static String disposal(Node imageMeta) {
        Node g = child(imageMeta, "GraphicControlExtension");
        if (g == null) return "none";
        Node a = g.getAttributes().getNamedItem("disposalMethod");
        return a == null ? "none" : a.getNodeValue();
    }

    private static Node child(Node parent, String name) {
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c.getNodeName().equals(name)) return c;
        }
        return null;
    }

    private static int intAttr(Node n, String name) {
        Node a = n.getAttributes().getNamedItem(name);
        return a == null ? 0 : Integer.parseInt(a.getNodeValue());
    }

    private static BufferedImage copy(BufferedImage src) {
        BufferedImage c = new BufferedImage(src.getWidth(), src.getHeight(), BufferedImage.TYPE_INT_ARGB);
        src.copyData(c.getRaster());
        return c;
    }

    /** Writes full-size frames, each shown {@code delayMs} milliseconds, looping forever. */
    static void write(Path file, List<BufferedImage> frames, int delayMs) throws IOException {
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("gif");
        if (!writers.hasNext()) throw new IOException("no GIF writer in this JDK (javax.imageio)");
        ImageWriter writer = writers.next();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.deleteIfExists(file);
        try (ImageOutputStream out = ImageIO.createImageOutputStream(file.toFile())) {
            writer.setOutput(out);
            writer.prepareWriteSequence(null);
            for (int i = 0; i < frames.size(); i++) {
                writeFrame(writer, frames.get(i), 0, 0, Math.max(0, delayMs / 10), "none", i == 0);
            }
            writer.endWriteSequence();
        } finally {
            writer.dispose();
        }
    }

    /**
     * Appends one frame at ({@code left}, {@code top}) with a disposal method and a delay in
     * hundredths of a second; the first frame also gets the loop extension.
     */
    static void writeFrame(ImageWriter writer, BufferedImage img, int left, int top, int delayCs,
            String disposal, boolean first) throws IOException {
        IIOMetadata meta = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(img), null);
        IIOMetadataNode root = (IIOMetadataNode) meta.getAsTree(IMAGE_FORMAT);
        IIOMetadataNode gce = node(root, "GraphicControlExtension");
        gce.setAttribute("disposalMethod", disposal);
        gce.setAttribute("userInputFlag", "FALSE");
        gce.setAttribute("transparentColorFlag", "FALSE");
        gce.setAttribute("delayTime", Integer.toString(delayCs));
        gce.setAttribute("transparentColorIndex", "0");
        IIOMetadataNode desc = node(root, "ImageDescriptor");
        desc.setAttribute("imageLeftPosition", Integer.toString(left));
        desc.setAttribute("imageTopPosition", Integer.toString(top));
        desc.setAttribute("interlaceFlag", "FALSE"); // the JDK writer interlaces by default
        if (first) {
            IIOMetadataNode ext = new IIOMetadataNode("ApplicationExtension");
            ext.setAttribute("applicationID", "NETSCAPE");
            ext.setAttribute("authenticationCode", "2.0");
            ext.setUserObject(new byte[] {1, 0, 0}); // sub-block 1, loop count 0 = forever
            node(root, "ApplicationExtensions").appendChild(ext);
        }
        meta.setFromTree(IMAGE_FORMAT, root);
        writer.writeToSequence(new IIOImage(img, null, meta), null);
    }

    private static IIOMetadataNode node(IIOMetadataNode root, String name) {
        for (int i = 0; i < root.getLength(); i++) {
            if (root.item(i).getNodeName().equals(name)) return (IIOMetadataNode) root.item(i);
        }
        IIOMetadataNode n = new IIOMetadataNode(name);
        root.appendChild(n);
        return n;
    }

    /** A frame [h*w*c] in [0, 1] as an indexed image (grey or 6x7x6 palette, see the class comment). */
    static BufferedImage indexed(float[] frame, int h, int w, int c) {
        boolean grey = true;
        for (int i = 0; c == 3 && grey && i < h * w; i++) {
            grey = Images.toByte(frame[3 * i]) == Images.toByte(frame[3 * i + 1])
                    && Images.toByte(frame[3 * i]) == Images.toByte(frame[3 * i + 2]);
        }
        byte[] r = new byte[256], g = new byte[256], b = new byte[256];
        for (int k = 0; k < 256; k++) {
            if (grey) {
                r[k] = g[k] = b[k] = (byte) k;
            } else if (k < 252) {
                r[k] = (byte) Math.round(k / 42 * 51f);
                g[k] = (byte) Math.round(k / 6 % 7 * 42.5f);
                b[k] = (byte) Math.round(k % 6 * 51f);
            }
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED,
                new IndexColorModel(8, 256, r, g, b));
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = (y * w + x) * c, index;
                if (grey) {
                    index = Images.toByte(frame[at]);
                } else {
                    index = (level(frame[at], 5) * 7 + level(frame[at + 1], 6)) * 6 + level(frame[at + 2], 5);
                }
                img.getRaster().setSample(x, y, 0, index);
            }
        }
        return img;
    }

    private static int level(float v, int steps) {
        return !(v > 0) ? 0 : v >= 1 ? steps : Math.round(v * steps);
    }
}
