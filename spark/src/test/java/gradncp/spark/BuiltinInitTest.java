package gradncp.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import gradncp.run.BuiltinInits;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The Spark commands accept {@code builtin:NAME} wherever the core commands do: {@code eval
 * --master ... --checkpoint builtin:text} scores the same as the shipped init copied to a file.
 */
class BuiltinInitTest {
    @Test
    void evalTakesABuiltinInit(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("png");
        Fixtures.pngFolder(data, 4, 32); // builtin:text is a 32 px RGB init
        Path copy = dir.resolve("text.safetensors");
        try (InputStream in = BuiltinInits.class.getResourceAsStream(BuiltinInits.resource("text"))) {
            Files.copy(in, copy);
        }
        JsonNode named = eval(data, "builtin:text");
        JsonNode file = eval(data, copy.toString());
        assertEquals(4, named.get("signals").asInt());
        for (String p : new String[] {"plain", "rescaled"}) {
            assertEquals(file.get(p).get("psnr").asDouble(), named.get(p).get("psnr").asDouble(), 1e-9, p);
        }
        assertTrue(named.get("rescaled").get("psnr").asDouble() > 20, named.toString());
    }

    private static JsonNode eval(Path data, String checkpoint) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cl = new CommandLine(new SparkEvalCommand());
        cl.setOut(new PrintWriter(out));
        int code = cl.execute("--master", "local[1]", "--checkpoint", checkpoint, "--data", data.toString(),
                "--steps", "4", "--json");
        assertEquals(0, code, out.toString());
        String text = out.toString().strip();
        return new ObjectMapper().readTree(text.substring(text.lastIndexOf('\n') + 1));
    }
}
