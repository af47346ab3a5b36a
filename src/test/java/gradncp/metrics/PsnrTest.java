package gradncp.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PsnrTest {
    @Test
    void knownMseGivesKnownPsnr() {
        assertEquals(20.0, Psnr.fromMse(0.01), 1e-12);
        assertEquals(240.0, Psnr.fromMse(0.0), 1e-9);
    }

    @Test
    void predictionIsClampedTargetIsNot() {
        float[] pred = {1.5f, -0.5f, 0.5f, 0.5f};
        float[] target = {1f, 0f, 0.4f, 0.6f};
        // clamped errors 0, 0, 0.1, -0.1 -> mse 0.005
        assertEquals(-10 * Math.log10(0.005), Psnr.of(pred, target), 1e-5);
    }

    @Test
    void lengthMismatchIsReported() {
        assertThrows(IllegalArgumentException.class, () -> Psnr.of(new float[3], new float[4]));
        assertThrows(IllegalArgumentException.class, () -> Psnr.fromMse(Double.NaN));
    }
}
