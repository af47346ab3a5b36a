package gradncp.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import gradncp.data.SceneSignals;
import gradncp.data.SignalSet;
import gradncp.data.ToyCars;
import gradncp.nn.Params;
import gradncp.tensor.DType;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An evaluation asked to stop gives up before its next batch (how a SIGTERM during a training run's
 * in-run evaluation ends after one batch, not the whole set); one never asked scores exactly as the
 * evaluation without a stop hook.
 */
class EvaluatorStopTest {
    private static final SignalSet SET = SceneSignals.all(ToyCars.generate(3, 3, 6, 3), 1, true);
    private static final Evaluator.Protocol P = new Evaluator.Protocol(2, 1.0, 0.25);

    @Test
    void stopsBeforeTheNextBatch() {
        Params theta = SceneEvalTest.SPEC.init(1, DType.F32);
        AtomicInteger asked = new AtomicInteger();
        assertThrows(Evaluator.Stopped.class, () -> Evaluator.evaluate(SceneEvalTest.SPEC, theta, SET, P, false, 1,
                () -> asked.incrementAndGet() > 1));
        assertEquals(2, asked.get(), "asked before batch 1 (go on) and batch 2 (stop), not before batch 3");
    }

    @Test
    void neverAskedToStopScoresAsWithoutTheHook() {
        Params theta = SceneEvalTest.SPEC.init(1, DType.F32);
        Evaluator.Result a = Evaluator.evaluate(SceneEvalTest.SPEC, theta, SET, P, true, 2);
        Evaluator.Result b = Evaluator.evaluate(SceneEvalTest.SPEC, theta, SET, P, true, 2, () -> false);
        assertEquals(3, b.scores().size());
        for (int i = 0; i < 3; i++) {
            assertEquals(a.scores().get(i).psnr(), b.scores().get(i).psnr(), 0.0);
        }
    }
}
