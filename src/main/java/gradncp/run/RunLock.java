package gradncp.run;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * One run per output folder: an exclusive OS lock on {@code DIR/.lock}, held for the whole run.
 * The operating system releases it when the process dies (kill -9 included), so a killed run
 * never leaves the folder stuck. The file keeps the holder's "pid@host" so that a refused second
 * run can name it; the file itself stays (deleting it on release would let two later runs lock
 * two different files of the same name).
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".lock";

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code dir} if needed and locks it, or throws IllegalStateException naming the holder
     * when another run (another process, or this one) holds it.
     */
    public static RunLock acquire(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(FILE);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this JVM
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            String holder = holder(ch);
            ch.close();
            throw new IllegalStateException(dir + " is in use by another run (" + holder
                    + "); wait for it to finish, stop it, or use another --out");
        }
        byte[] me = (ProcessHandle.current().pid() + "@" + host() + "\n").getBytes(StandardCharsets.UTF_8);
        ch.truncate(0);
        ch.write(ByteBuffer.wrap(me), 0);
        return new RunLock(ch, lock);
    }

    /** Deletes orphan temp files ({@code .NAME.RANDOM.tmp}) that a killed atomic write left in dir. */
    public List<Path> removeOrphanTemps(Path dir) throws IOException {
        List<Path> removed = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p) && Files.deleteIfExists(p)) {
                    removed.add(p);
                }
            }
        }
        return removed;
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(256);
            int n = ch.read(b, 0);
            String s = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).strip();
            return s.isEmpty() ? "holder unknown" : "pid " + s;
        } catch (IOException e) {
            return "holder unknown";
        }
    }

    /** The host name, without a DNS lookup where the kernel says it. */
    private static String host() {
        try {
            Path k = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(k)) {
                return Files.readString(k).strip();
            }
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
