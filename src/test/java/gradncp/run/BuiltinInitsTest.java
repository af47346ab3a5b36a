package gradncp.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig;
import gradncp.nn.SirenSpec;
import gradncp.tensor.DType;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The inits shipped in the jar: present, small, loadable through builtin:NAME, meta-trained. */
class BuiltinInitsTest {
    @Test
    void everyBuiltinInitLoadsAsAMetaTrainedSiren() throws Exception {
        for (String name : BuiltinInits.NAMES) {
            try (InputStream in = BuiltinInits.class.getResourceAsStream(BuiltinInits.resource(name))) {
                assertNotNull(in, name + " is not in the jar");
                assertTrue(in.readAllBytes().length < 400_000, name + " should stay a few hundred KB");
            }
            Checkpoint.Loaded c = Checkpoint.load(BuiltinInits.resolve(Path.of("builtin:" + name)), null, DType.F32);
            assertTrue(c.decoder() instanceof SirenSpec, name);
            assertNotNull(c.config(), name + " carries the config it was trained with");
            assertEquals(MetaConfig.Method.GRADNCP, c.config().method(), name);
            assertEquals(MetaConfig.Modality.IMAGE, c.config().modality(), name);
            assertNull(c.state(), name + " ships without optimiser state");
            assertEquals("gradncp", c.metadata().get("method"));
            long steps = Long.parseLong(c.metadata().get("trained_steps"));
            assertTrue(steps >= 300, name + " trained for " + steps + " outer steps");
        }
    }

    @Test
    void otherPathsPassThroughAndUnknownNamesFail() throws Exception {
        assertEquals(Path.of("runs/x/last.safetensors"), BuiltinInits.resolve(Path.of("runs/x/last.safetensors")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BuiltinInits.resolve(Path.of("builtin:celeba")));
        assertTrue(e.getMessage().contains("builtin:photos, builtin:text"), e.getMessage());
    }
}
