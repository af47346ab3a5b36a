package gradncp.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * TFRecord framing, the container of TensorBoard event files: each record is
 * {@code uint64 length, uint32 maskedCrc(length bytes), data, uint32 maskedCrc(data)}, all
 * little-endian, where maskedCrc is CRC-32C rotated right by 15 bits plus 0xa282ead8 (the mask
 * keeps a CRC of data that itself holds CRCs from looking like one).
 */
public final class TfRecord {
    private static final int MASK_DELTA = 0xa282ead8;

    private TfRecord() {}

    /** The masked CRC-32C of data[off, off + len). */
    public static int maskedCrc(byte[] data, int off, int len) {
        CRC32C crc = new CRC32C();
        crc.update(data, off, len);
        int c = (int) crc.getValue();
        return ((c >>> 15) | (c << 17)) + MASK_DELTA;
    }

    /** One framed record around data. */
    public static byte[] frame(byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(data.length);
        b.putInt(maskedCrc(b.array(), 0, 8));
        b.put(data);
        b.putInt(maskedCrc(data, 0, data.length));
        return b.array();
    }

    /** Writes one framed record around data. */
    public static void write(OutputStream out, byte[] data) throws IOException {
        out.write(frame(data));
    }
}
