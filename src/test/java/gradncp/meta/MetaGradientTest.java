package gradncp.meta;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Second-order meta-gradients against float64 central finite differences of the whole meta-loss. */
class MetaGradientTest {
    @Test
    void mamlTwoStepsWithGatheredContextMatchesFiniteDifferences() {
        double err = MetaGradCheck.relativeError(MetaGradCheck.config("method=gradncp", "bootstrap=false"), 3);
        assertTrue(err < 1e-7, "second-order meta-gradient rel err " + err);
    }

    @Test
    void fullContextMamlMatchesFiniteDifferences() {
        double err = MetaGradCheck.relativeError(MetaGradCheck.config("method=maml"), 5);
        assertTrue(err < 1e-7, "maml meta-gradient rel err " + err);
    }

    @Test
    void gradncpWithBootstrapMatchesFiniteDifferencesWithFixedTarget() {
        double err = MetaGradCheck.relativeError(MetaGradCheck.config("method=gradncp"), 4);
        assertTrue(err < 1e-7, "gradncp meta-gradient rel err " + err);
    }

    @Test
    void firstOrderMetaGradientDiffersFromTheExactOne() {
        double err = MetaGradCheck.firstOrderError(MetaGradCheck.config("method=gradncp", "bootstrap=false"), 3);
        assertTrue(err > 1e-3, "first-order meta-gradient should differ from the exact one, rel err " + err);
    }
}
