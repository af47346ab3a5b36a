package gradncp.spark;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * A NumPy {@code .npz} writer (a zip of {@code .npy} arrays, format version 1.0, little-endian),
 * streaming: a float32 matrix is written row by row, so it never has to fit in memory.
 */
public final class Npz implements AutoCloseable {
    private final ZipOutputStream zip;

    public Npz(Path file) throws IOException {
        zip = new ZipOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
    }

    /** A float32 [rows, cols] array from an iterator of rows (each cols long). */
    public void floats(String name, long rows, int cols, Iterator<float[]> data) throws IOException {
        DataOutputStream out = entry(name, "<f4", "(" + rows + ", " + cols + ")");
        ByteBuffer b = ByteBuffer.allocate(cols * 4).order(ByteOrder.LITTLE_ENDIAN);
        long n = 0;
        while (data.hasNext()) {
            float[] row = data.next();
            if (row.length != cols) throw new IllegalArgumentException("row " + n + " has " + row.length + " values");
            b.clear();
            b.asFloatBuffer().put(row);
            out.write(b.array(), 0, cols * 4);
            n++;
        }
        if (n != rows) throw new IllegalArgumentException(name + ": " + n + " rows, expected " + rows);
        out.flush();
        zip.closeEntry();
    }

    /** An int64 vector. */
    public void longs(String name, long[] v) throws IOException {
        DataOutputStream out = entry(name, "<i8", "(" + v.length + ",)");
        ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) {
            b.clear();
            b.putLong(x);
            out.write(b.array());
        }
        out.flush();
        zip.closeEntry();
    }

    /** A unicode string vector (NumPy's fixed-width UTF-32 {@code <U} type). */
    public void strings(String name, String[] v) throws IOException {
        int width = 1;
        for (String s : v) width = Math.max(width, s.codePointCount(0, s.length()));
        DataOutputStream out = entry(name, "<U" + width, "(" + v.length + ",)");
        ByteBuffer b = ByteBuffer.allocate(width * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (String s : v) {
            b.clear();
            s.codePoints().forEach(b::putInt);
            while (b.position() < width * 4) b.putInt(0);
            out.write(b.array());
        }
        out.flush();
        zip.closeEntry();
    }

    private DataOutputStream entry(String name, String descr, String shape) throws IOException {
        zip.putNextEntry(new ZipEntry(name + ".npy"));
        String dict = String.format(Locale.ROOT, "{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape);
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        DataOutputStream out = new DataOutputStream(new NonClosing(zip));
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(header.length() & 255);
        out.write(header.length() >> 8);
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        return out;
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }

    /** Keeps the zip open when an entry's stream wrapper is dropped. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {}
    }
}
