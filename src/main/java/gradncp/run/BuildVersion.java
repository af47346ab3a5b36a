package gradncp.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** The version of this build, as {@code --version} prints it and checkpoints record it. */
public final class BuildVersion {
    /** Returned when not run from the packaged jar (e.g. from the test classes). */
    public static final String UNKNOWN = "(unknown version: not run from the packaged jar)";

    private BuildVersion() {}

    /** The Maven version recorded in the jar (pom.properties, else the manifest), or {@link #UNKNOWN}. */
    public static String get() {
        try (InputStream in = BuildVersion.class.getResourceAsStream(
                "/META-INF/maven/io.gradncp/gradncp/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
                String v = p.getProperty("version");
                if (v != null) {
                    return v;
                }
            }
        } catch (IOException e) {
            // fall through to the manifest
        }
        String v = BuildVersion.class.getPackage().getImplementationVersion();
        return v != null ? v : UNKNOWN;
    }
}
