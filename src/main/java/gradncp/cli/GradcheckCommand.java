package gradncp.cli;

import gradncp.meta.MetaGradCheck;
import gradncp.tensor.OpSuite;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gradncp gradcheck}: float64 finite-difference checks of the gradients on this machine. */
@Command(
        name = "gradcheck",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Check every op's gradient (orders 1..N) and the second-order meta-gradient of MAML/GradNCP"
                + " against float64 central finite differences. Exit code 0 only if all pass.")
public final class GradcheckCommand implements Callable<Integer> {
    /** Relative tolerance of the per-op checks. */
    static final double OP_RTOL = 1e-6;
    /** Relative tolerance of the whole meta-gradient. */
    static final double META_RTOL = 1e-7;

    @Spec CommandSpec spec;

    @Option(names = "--order", defaultValue = "2", description = "Highest derivative order checked per op (1-3).")
    int order;

    @Override
    public Integer call() {
        if (order < 1 || order > 3) {
            throw Checks.usage(spec, "--order must be 1, 2 or 3, got " + order);
        }
        PrintWriter out = spec.commandLine().getOut();
        boolean ok = true;
        out.printf("%-18s", "op");
        for (int o = 1; o <= order; o++) {
            out.printf(" %14s", "order " + o);
        }
        out.printf("   (worst relative error, float64, tolerance %.0e)%n", OP_RTOL);
        for (OpSuite.Case c : OpSuite.cases()) {
            ok &= row(out, c, order);
        }
        ok &= row(out, OpSuite.composite(), 3);
        out.printf("%nmeta-gradient vs finite differences of the whole meta-loss (tolerance %.0e):%n", META_RTOL);
        ok &= meta(out, "maml (2 full-context steps)", MetaGradCheck.relativeError(MetaGradCheck.config("method=maml"), 5));
        ok &= meta(out, "gradncp, gathered context, no bootstrap",
                MetaGradCheck.relativeError(MetaGradCheck.config("method=gradncp", "bootstrap=false"), 3));
        ok &= meta(out, "gradncp with bootstrap (target fixed)",
                MetaGradCheck.relativeError(MetaGradCheck.config("method=gradncp"), 4));
        double fo = MetaGradCheck.firstOrderError(MetaGradCheck.config("method=gradncp", "bootstrap=false"), 3);
        out.printf("  %-44s %10.2e  (must differ: %s)%n", "first-order variant vs exact", fo, fo > 1e-3 ? "yes" : "NO");
        ok &= fo > 1e-3;
        out.println(ok ? "PASS" : "FAIL");
        return ok ? 0 : 1;
    }

    private static boolean row(PrintWriter out, OpSuite.Case c, int order) {
        boolean ok = true;
        out.printf("%-18s", c.name());
        for (int o = 1; o <= order; o++) {
            double e = c.check(o);
            ok &= e < OP_RTOL;
            out.printf(" %14.2e", e);
        }
        out.println(ok ? "" : "   FAIL");
        out.flush();
        return ok;
    }

    private static boolean meta(PrintWriter out, String name, double err) {
        out.printf("  %-44s %10.2e  %s%n", name, err, err < META_RTOL ? "ok" : "FAIL");
        out.flush();
        return err < META_RTOL;
    }
}
