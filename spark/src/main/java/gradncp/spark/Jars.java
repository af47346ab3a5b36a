package gradncp.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The jars a remote executor needs: this module's jar and the gradncp jars beside it (Spark's own it has). */
final class Jars {
    private Jars() {}

    static String ofThisModule() {
        try {
            Path self = Path.of(Jars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> out = new ArrayList<>();
            out.add(self.toString());
            Path lib = self.getParent().resolve("lib");
            if (Files.isDirectory(lib)) {
                try (Stream<Path> s = Files.list(lib)) {
                    s.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith("gradncp-") || n.startsWith("picocli-");
                    }).sorted().forEach(p -> out.add(p.toString()));
                }
            }
            return String.join(",", out);
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot locate this module's jar", e instanceof IOException io
                    ? new UncheckedIOException(io) : e);
        }
    }
}
