package gradncp.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import gradncp.bench.EngineBench;
import gradncp.bench.Reference;
import gradncp.tensor.kernel.Parallel;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code gradncp bench engine}: tensor-engine throughput (GEMM, SIREN forward+backward). */
@Command(
        name = "engine",
        mixinStandardHelpOptions = true,
        showDefaultValues = true,
        description = "Tensor-engine throughput in float32: GEMM GFLOP/s at [32768x256]x[256x256] and"
                + " SIREN (2 -> 4x256 -> 3, w0 30, MSE) forward+backward at 4096 and 32768 coordinates,"
                + " side by side with the PyTorch reference when available.")
public final class BenchEngineCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin BenchOptions common;

    @Override
    public Integer call() throws Exception {
        Checks.atLeast(spec, "--warmup", common.warmup, 0);
        Checks.atLeast(spec, "--repeats", common.repeats, 1);
        PrintWriter out = spec.commandLine().getOut();
        var celeba = EngineBench.CELEBA;
        double[] gfs = EngineBench.matmulGflops(32768, 256, 256, common.repeats);
        double gf = gfs[0];
        // 4096 = one 64x64 signal; 32768 = two 128x128 signals, the reference's fwdbwd shapes
        var small = EngineBench.sirenForwardBackward(celeba, 64, 1, common.warmup, common.repeats);
        var large = EngineBench.sirenForwardBackward(celeba, 128, 2, common.warmup, common.repeats);
        double flops = EngineBench.sirenFlops(celeba, 32768);
        Double refMs = null;
        String refNote = "";
        if (!common.noReference) {
            var ref = Reference.find(common.reference);
            if (ref.isPresent()) {
                var rows = ref.get().bench(List.of("fwdbwd"), 128, 2, Map.of(), common.warmup, common.repeats);
                refMs = rows.get(0).get("median_ms").asDouble();
            } else {
                refNote = Reference.unavailableReason(common.reference);
            }
        } else {
            refNote = "--no-reference";
        }
        long peak = Math.max(small.peakEngineBytes(), large.peakEngineBytes());
        if (common.json) {
            var o = new LinkedHashMap<String, Object>();
            o.put("matmul_gflops", gf);
            o.put("matmul_gflops_median", gfs[1]);
            o.put("siren_ms_4096", small.medianMs());
            o.put("siren_ms_32768", large.medianMs());
            o.put("siren_gflops_32768", flops / large.medianMs() / 1e6);
            o.put("peak_engine_bytes", peak);
            o.put("peak_engine_bytes_32768", large.peakEngineBytes());
            o.put("threads", Parallel.threads());
            if (refMs != null) {
                o.put("reference_siren_ms_32768", refMs);
                o.put("ratio_siren_32768", large.medianMs() / refMs);
            } else {
                o.put("reference", "unavailable: " + refNote);
            }
            out.println(new ObjectMapper().writeValueAsString(o));
        } else {
            out.printf("matmul [32768x256]x[256x256] float32: %.1f GFLOP/s best, %.1f median of %d calls"
                    + " (%d threads)%n", gf, gfs[1], Math.max(EngineBench.MATMUL_REPEATS, common.repeats),
                    Parallel.threads());
            out.printf("SIREN fwd+bwd  4096 coords: %8.1f ms (median, min %.1f), peak engine memory %.1f MiB%n",
                    small.medianMs(), small.minMs(), small.peakEngineBytes() / 1048576.0);
            out.printf("SIREN fwd+bwd 32768 coords: %8.1f ms (median, min %.1f), peak engine memory %.1f MiB,"
                    + " %.1f GFLOP/s%n", large.medianMs(), large.minMs(), large.peakEngineBytes() / 1048576.0,
                    flops / large.medianMs() / 1e6);
            if (refMs != null) {
                out.printf("PyTorch reference 32768 coords: %8.1f ms  -> ratio ours/theirs %.2f%n", refMs,
                        large.medianMs() / refMs);
            } else {
                out.println("PyTorch reference: not run (" + refNote + ")");
            }
        }
        out.flush();
        return 0;
    }
}
