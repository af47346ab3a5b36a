package gradncp;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.Architectures;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packages form layers that point one way (docs/ARCHITECTURE.md): a class may use classes of
 * its own layer and of the layers below it, never of a layer above. Bottom to top: configuration,
 * kernels, tensors, networks, optimiser, file formats, metrics, data, the mathematics of
 * meta-learning, running it, the report and benchmarks, and the command line.
 */
class LayeringTest {
    /** Layer names and their packages, bottom first. */
    static final List<String[]> LAYERS = List.of(
            new String[] {"config", "gradncp.config.."},
            new String[] {"kernel", "gradncp.tensor.kernel.."},
            new String[] {"tensor", "gradncp.tensor"},
            new String[] {"nn", "gradncp.nn.."},
            new String[] {"optim", "gradncp.optim.."},
            new String[] {"io", "gradncp.io.."},
            new String[] {"metrics", "gradncp.metrics.."},
            new String[] {"data", "gradncp.data.."},
            new String[] {"meta", "gradncp.meta.."},
            new String[] {"run", "gradncp.run.."},
            new String[] {"report", "gradncp.report.."},
            new String[] {"bench", "gradncp.bench.."},
            new String[] {"cli", "gradncp.cli.."});

    /** Every layer may use only the layers listed before it (report and bench are peers: neither uses the other). */
    static LayeredArchitecture rule() {
        LayeredArchitecture arch = Architectures.layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String[] l : LAYERS) {
            arch = arch.layer(l[0]).definedBy(l[1]);
        }
        for (int i = 0; i < LAYERS.size(); i++) {
            String name = LAYERS.get(i)[0];
            String[] below = LAYERS.subList(0, i).stream().map(l -> l[0])
                    .filter(n -> !(name.equals("bench") && n.equals("report"))).toArray(String[]::new);
            arch = below.length == 0 ? arch.whereLayer(name).mayNotAccessAnyLayer()
                    : arch.whereLayer(name).mayOnlyAccessLayers(below);
        }
        return arch;
    }

    @Test
    void everyPackageImportsOnlyLayersBelowIt() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("gradncp");
        assertTrue(main.size() > 100, "the project's classes were not found: " + main.size());
        rule().check(main);
    }

    @Test
    void aWrongWayImportFails() {
        JavaClasses fixture = new ClassFileImporter().importClasses(gradncp.data.LayeringFixture.class,
                gradncp.meta.InnerLoop.class);
        EvaluationResult r = rule().withOptionalLayers(true).evaluate(fixture); // two classes: most layers empty
        assertTrue(r.hasViolation(), "data -> meta should violate the layering");
        assertTrue(Arrays.stream(r.getFailureReport().getDetails().toArray(String[]::new))
                .anyMatch(d -> d.contains("LayeringFixture") && d.contains("gradncp.meta.InnerLoop")),
                r.getFailureReport().toString());
        assertFalse(rule().withOptionalLayers(true).evaluate(new ClassFileImporter().importClasses(gradncp.meta.InnerLoop.class,
                gradncp.nn.Batch.class)).hasViolation(), "meta -> nn points down and must pass");
    }
}
