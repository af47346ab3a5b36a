package gradncp.spark;

import gradncp.run.Checkpoint;
import gradncp.tensor.DType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checkpoints shipped to executors as bytes (a broadcast), loaded once per JVM and content hash:
 * executors need no shared filesystem for the init.
 */
public final class Checkpoints {
    private static final Map<String, Checkpoint.Loaded> LOADED = new ConcurrentHashMap<>();

    private Checkpoints() {}

    /** The checkpoint stored in {@code bytes}, loaded (F32) on first use in this JVM. */
    public static Checkpoint.Loaded of(byte[] bytes) {
        return LOADED.computeIfAbsent(sha256(bytes), key -> {
            try {
                Path tmp = Files.createTempFile("gradncp-" + key.substring(0, 12), ".safetensors");
                try {
                    Files.write(tmp, bytes);
                    return Checkpoint.load(tmp, null, DType.F32);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot load the broadcast checkpoint", e);
            }
        });
    }

    /** Hex SHA-256 of bytes. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
