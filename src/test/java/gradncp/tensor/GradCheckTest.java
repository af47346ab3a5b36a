package gradncp.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class GradCheckTest {
    static final double RTOL = 1e-6;

    @TestFactory
    Stream<DynamicTest> firstOrder() {
        return OpSuite.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(),
                () -> assertTrue(c.check(1) < RTOL, c.name() + " order 1 rel err " + c.check(1))));
    }

    @TestFactory
    Stream<DynamicTest> secondOrder() {
        return OpSuite.cases().stream().map(c -> DynamicTest.dynamicTest(c.name(),
                () -> assertTrue(c.check(2) < RTOL, c.name() + " order 2 rel err " + c.check(2))));
    }

    @Test
    void thirdOrderComposite() {
        double err = OpSuite.composite().check(3);
        assertTrue(err < RTOL, "third order rel err " + err);
    }

    @Test
    void secondDerivativeOfCubeIsSixX() {
        Tensor x = Tensor.of(new double[] {-1.5, 0.25, 2.0}, 3).param();
        Tensor y = x.mul(x).mul(x).sum();
        Tensor g = Autodiff.grad(y, x, Autodiff.Mode.DIFFERENTIABLE); // 3x^2
        Tensor h = Autodiff.grad(g.sum(), x, Autodiff.Mode.DETACHED); // 6x
        double[] hv = h.toDoubleArray();
        assertEquals(-9.0, hv[0], 1e-12);
        assertEquals(1.5, hv[1], 1e-12);
        assertEquals(12.0, hv[2], 1e-12);
    }

    @Test
    void checkerDetectsAWrongGradient() {
        // sin with the cos factor dropped: x -> sum(sin(x)) checked against d = 1 must fail
        GradCheck.Fn wrong = xs -> xs.get(0).sin().detach().add(xs.get(0)).sum();
        double err = GradCheck.relativeError(wrong, List.of(new double[] {0.3, 1.2}), List.of(new int[] {2}), 1, 3);
        assertTrue(err > 1e-2, "a broken gradient must be detected, got rel err " + err);
    }

    @Test
    void unusedInputGetsZeros() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2).param();
        Tensor b = Tensor.of(new double[] {3}, 1).param();
        Tensor g = Autodiff.grad(a.sum(), List.of(a, b), Autodiff.Mode.DETACHED).get(1);
        assertEquals(0.0, g.item());
    }

    @Test
    void nonScalarLossIsRejectedWithHint() {
        Tensor a = Tensor.of(new double[] {1, 2}, 2).param();
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Autodiff.grad(a.mul(a), a, Autodiff.Mode.DETACHED));
        assertTrue(e.getMessage().contains("loss.sum()"));
    }

    @Test
    void castPassesTheGradientBackInTheSourceDtype() {
        // float32 rounding makes a 1e-6 finite difference meaningless here, so check exactly
        Tensor x = Tensor.of(new double[] {0.5, -2.0}, 2).param();
        Tensor c = Tensor.of(new float[] {3f, -1.25f}, 2);
        Tensor g = Autodiff.grad(x.to(DType.F32).mul(c).sum(), x, Autodiff.Mode.DETACHED);
        assertEquals(DType.F64, g.dtype());
        assertEquals(3.0, g.get(0));
        assertEquals(-1.25, g.get(1));
    }
}
