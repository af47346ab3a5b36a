package gradncp.run;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Meta-learned SIREN inits shipped inside the jar, named {@code builtin:NAME} wherever a
 * checkpoint path is accepted: {@code builtin:photos} (64 px RGB photos) and {@code builtin:text}
 * (32 px rendered text). They are ordinary gradncp checkpoints (parameters and the config they
 * were trained with, no optimiser state) under {@code /gradncp/inits/NAME.safetensors}; README.md
 * and RESULTS.md give the command that trained each one and the PSNR it reaches.
 */
public final class BuiltinInits {
    public static final String PREFIX = "builtin:";
    /** The shipped inits. */
    public static final List<String> NAMES = List.of("photos", "text");

    private BuiltinInits() {}

    /**
     * The checkpoint file a name stands for: a {@code builtin:NAME} init copied out of the jar to a
     * temporary file (deleted when the JVM exits), any other path unchanged.
     */
    public static Path resolve(Path checkpoint) throws IOException {
        String s = checkpoint.toString();
        if (!s.startsWith(PREFIX)) {
            return checkpoint;
        }
        String name = s.substring(PREFIX.length());
        try (InputStream in = NAMES.contains(name) ? BuiltinInits.class.getResourceAsStream(resource(name)) : null) {
            if (in == null) {
                throw new IllegalArgumentException("no built-in init '" + s + "'; built-in inits: "
                        + String.join(", ", NAMES.stream().map(n -> PREFIX + n).toList()));
            }
            Path tmp = Files.createTempFile("gradncp-init-" + name + "-", ".safetensors");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return tmp;
        }
    }

    /** The class-path resource of a built-in init. */
    public static String resource(String name) {
        return "/gradncp/inits/" + name + ".safetensors";
    }
}
