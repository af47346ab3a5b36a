package gradncp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig.Method;
import gradncp.config.MetaConfig.Selection;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetaConfigTest {
    @TempDir Path dir;

    @Test
    void defaultsAreTheCelebaGradncpSettings() {
        MetaConfig c = MetaConfig.defaults();
        assertEquals(Method.GRADNCP, c.method());
        assertEquals(16, c.innerSteps());
        assertEquals(0.25, c.contextRatio());
        assertEquals(100.0, c.bootWeight());
        assertEquals(1e-5, c.outerLr());
        assertNull(c.testData());
        assertEquals(MetaConfig.Sampling.EPOCH, c.sampler());
        assertEquals(MetaConfig.Sampling.IID, c.withOverrides(List.of("sampler=iid")).sampler());
        var e = assertThrows(IllegalArgumentException.class, () -> c.withOverrides(List.of("sampler=random")));
        assertTrue(e.getMessage().contains("sampler must be one of iid|epoch"), e.getMessage());
    }

    @Test
    void yamlAcceptsReferenceSnakeCaseAndOverridesWin() throws IOException {
        Path y = dir.resolve("c.yaml");
        Files.writeString(y, "inner_lr: 0.02\ndata_ratio: 0.5\nlam: 10\nbatch_size: 4\n"
                + "outer_steps: 1e3\nselection: full\nouterLr: 1e-4\n");
        MetaConfig c = MetaConfig.load(y, List.of("innerLr=0.03", "meta-batch=2"));
        assertEquals(0.03, c.innerLr());
        assertEquals(0.5, c.contextRatio());
        assertEquals(10.0, c.bootWeight());
        assertEquals(2, c.metaBatch());
        assertEquals(1000, c.outerSteps());
        assertEquals(1e-4, c.outerLr());
        assertEquals(Selection.FULL, c.selection());
    }

    @Test
    void unknownKeySuggestsTheClosest() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> MetaConfig.load(null, List.of("innerLR=1", "x=1")));
        assertTrue(e.getMessage().contains("did you mean 'innerLr'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MetaConfig.load(null, List.of("foo=1")));
        assertTrue(e.getMessage().startsWith("unknown config key 'foo'"), e.getMessage());
        assertTrue(e.getMessage().contains("known keys: method, order"), e.getMessage());
    }

    @Test
    void unknownYamlKeyNamesFile() throws IOException {
        Path y = dir.resolve("typo.yaml");
        Files.writeString(y, "inner_step: 3\n");
        var e = assertThrows(IllegalArgumentException.class, () -> MetaConfig.load(y, List.of()));
        assertTrue(e.getMessage().contains("typo.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'innerSteps'"), e.getMessage());
    }

    @Test
    void badValuesNameKeyValueAndSource() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> MetaConfig.load(null, List.of("contextRatio=1.5")));
        assertTrue(e.getMessage().startsWith("contextRatio must be in (0, 1], got 1.5"), e.getMessage());
        assertTrue(e.getMessage().contains("override 'contextRatio=1.5'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MetaConfig.load(null, List.of("width=wide")));
        assertTrue(e.getMessage().contains("width must be an integer, got 'wide'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> MetaConfig.load(null, List.of("method=reptile")));
        assertTrue(e.getMessage().contains("one of random|maml|gradncp"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> MetaConfig.load(null, List.of("noequals")));
    }

    @Test
    void jsonRoundTripIsExactAndSorted() {
        MetaConfig c = MetaConfig.defaults().withOverrides(List.of("testData=some/dir", "seed=42",
                "innerLr=0.012345678901234567", "order=first"));
        String json = c.toJson();
        assertTrue(json.startsWith("{\"bootLr\":"), json);
        assertEquals(c, MetaConfig.fromJson(json));
        assertEquals(MetaConfig.defaults(), MetaConfig.fromJson(MetaConfig.defaults().toJson()));
        assertEquals("bootLr = 0.05", c.describe().get(0));
    }

    @Test
    void shippedConfigsLoad() throws IOException {
        Path configs = Path.of("configs");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(configs));
        try (var files = Files.list(configs)) {
            for (Path y : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                MetaConfig c = MetaConfig.load(y, List.of());
                assertTrue(c.outerSteps() > 0, y.toString());
            }
        }
        MetaConfig g = MetaConfig.load(configs.resolve("celeba_gradncp.yaml"), List.of());
        assertEquals(178, g.resolution());
        assertEquals(150000, g.outerSteps());
        assertEquals(Selection.FULL,
                MetaConfig.load(configs.resolve("celeba_maml.yaml"), List.of()).selection());
    }
}
