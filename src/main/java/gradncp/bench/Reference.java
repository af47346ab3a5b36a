package gradncp.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The PyTorch reference ({@code gradncp_ref.py}), run as a child process for side-by-side
 * benchmarks and golden cross-checks. Optional: {@link #find} is empty when the script or a
 * torch-enabled {@code /usr/bin/python3} is missing, and {@link #unavailableReason} says why.
 * Nothing in the build or the tests needs it.
 */
public final class Reference {
    /** Debian's interpreter; the pyenv {@code python3} cannot see the apt-installed torch. */
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    /** Default script location, relative to the repository root. */
    public static final String DEFAULT_SCRIPT = "../shared/reference/gradncp_ref.py";

    /** Default limit for one child process, generous enough for a 128x128 meta-step bench. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int STDERR_TAIL_LINES = 6;
    private static final int STDERR_TAIL_CHARS = 1200;

    /** Cached result of the torch probe: null = not probed yet. */
    private static ProbeResult torchProbe;

    private record ProbeResult(String version, String reason) {}

    private record Located(Reference reference, String reason) {}

    private final Path python;
    private final Path script;
    private final Duration timeout;

    Reference(Path python, Path script, Duration timeout) {
        this.python = Objects.requireNonNull(python, "python");
        this.script = Objects.requireNonNull(script, "script");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    // ------------------------------------------------------------------------------- lookup

    /**
     * The reference, if the script exists and {@code /usr/bin/python3} can import torch.
     *
     * @param scriptOrNull the script; null means {@link #DEFAULT_SCRIPT} under the repository
     *     root; a relative path is tried against the current directory, then the repository root
     */
    public static Optional<Reference> find(Path scriptOrNull) {
        return Optional.ofNullable(locate(scriptOrNull).reference());
    }

    /** Why {@link #find} is empty for this argument, or "" when the reference is available. */
    public static String unavailableReason(Path scriptOrNull) {
        String r = locate(scriptOrNull).reason();
        return r == null ? "" : r;
    }

    private static Located locate(Path scriptOrNull) {
        Path script = resolveScript(scriptOrNull);
        if (!Files.isRegularFile(script)) {
            return new Located(null, "reference script not found: " + script);
        }
        ProbeResult probe = probeTorch();
        if (probe.reason() != null) {
            return new Located(null, probe.reason());
        }
        return new Located(new Reference(PYTHON, script, DEFAULT_TIMEOUT), null);
    }

    /** Where the script is looked for (see {@link #find}); the file may not exist. */
    public static Path resolveScript(Path scriptOrNull) {
        if (scriptOrNull == null) {
            return repoRoot().resolve(DEFAULT_SCRIPT).normalize();
        }
        if (scriptOrNull.isAbsolute() || Files.exists(scriptOrNull)) {
            return scriptOrNull.toAbsolutePath().normalize();
        }
        return repoRoot().resolve(scriptOrNull).normalize();
    }

    /**
     * The repository root: the directory holding the {@code target/} that this class was loaded
     * from (jar or classes directory), else the current directory.
     */
    public static Path repoRoot() {
        try {
            var source = Reference.class.getProtectionDomain().getCodeSource();
            if (source != null) {
                Path p = Path.of(source.getLocation().toURI()).toAbsolutePath();
                for (Path q = p; q != null; q = q.getParent()) {
                    Path name = q.getFileName();
                    if (name != null && name.toString().equals("target") && q.getParent() != null) {
                        return q.getParent();
                    }
                }
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // fall back to the current directory
        }
        return Path.of("").toAbsolutePath();
    }

    /** The torch version seen by {@code /usr/bin/python3}, if it imports (probed once). */
    public static Optional<String> torchVersion() {
        return Optional.ofNullable(probeTorch().version());
    }

    private static synchronized ProbeResult probeTorch() {
        if (torchProbe == null) {
            torchProbe = probe(PYTHON);
        }
        return torchProbe;
    }

    private static ProbeResult probe(Path python) {
        if (!Files.isExecutable(python)) {
            return new ProbeResult(null, python + " not found");
        }
        List<String> cmd = List.of(python.toString(), "-c",
                "import torch, numpy; print(torch.__version__)");
        try {
            Output o = exec(cmd, Duration.ofMinutes(2));
            String out = o.stdout().strip();
            if (o.exitCode() == 0 && !out.isEmpty()) {
                return new ProbeResult(out.lines().reduce((a, b) -> b).orElse(out), null);
            }
            return new ProbeResult(null, python + " cannot import torch (" + tail(o.stderr())
                    + "); install it with: apt-get install -y python3-torch python3-pil"
                    + " libopenblas0-pthread");
        } catch (IOException e) {
            return new ProbeResult(null, "cannot run " + python + ": " + e.getMessage());
        }
    }

    // --------------------------------------------------------------------------- accessors

    public Path script() {
        return script;
    }

    public Path python() {
        return python;
    }

    /** This reference with another limit per child process. */
    public Reference withTimeout(Duration timeout) {
        return new Reference(python, script, timeout);
    }

    // ------------------------------------------------------------------------------- bench

    /**
     * Runs {@code gradncp_ref.py bench --json} and returns one object per method, with keys
     * {@code method, median_ms, min_ms, all_ms, peak_rss_mb, base_rss_mb, minflt_per_step,
     * sys_s_per_step, res, batch, gflop, floor_ms, gflops}. Each method runs in its own Python
     * process (so peak_rss_mb is per method).
     *
     * @param methods maml, gradncp, test-plain, test-rescaled, fwdbwd
     * @param cfgArgs reference config overrides by name, e.g. {@code depth=5, width=256, K=16,
     *     K_maml=4, gamma=0.25, L=5} ({@code _} and {@code -} both work); may be empty
     * @throws IOException if the child fails (the message names the command and the tail of
     *     its stderr) or prints something unexpected
     */
    public List<JsonNode> bench(List<String> methods, int res, int batch,
            Map<String, String> cfgArgs, int warmup, int repeats) throws IOException {
        List<String> cmd = benchCommand(methods, res, batch, cfgArgs, warmup, repeats);
        Output o = run(cmd);
        return parseBench(o.stdout(), String.join(" ", cmd));
    }

    /** The full command line {@link #bench} runs. */
    public List<String> benchCommand(List<String> methods, int res, int batch,
            Map<String, String> cfgArgs, int warmup, int repeats) {
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("methods must not be empty");
        }
        for (String m : methods) {
            if (m.isBlank() || m.contains(",")) {
                throw new IllegalArgumentException("bad method name '" + m + "'");
            }
        }
        positive("res", res);
        positive("batch", batch);
        if (warmup < 0) {
            throw new IllegalArgumentException("warmup must be >= 0, got " + warmup);
        }
        positive("repeats", repeats);
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(), "bench",
                "--methods", String.join(",", methods), "--res", Integer.toString(res),
                "--batch", Integer.toString(batch), "--json", "--warmup",
                Integer.toString(warmup), "--repeats", Integer.toString(repeats)));
        cmd.addAll(cfgFlags(cfgArgs));
        return cmd;
    }

    /**
     * Parses bench {@code --json} output: one JSON object per line; '#' lines and blank lines
     * are skipped; the script's "FAILED" line for a method becomes an exception.
     */
    static List<JsonNode> parseBench(String stdout, String command) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String raw : stdout.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!line.startsWith("{")) {
                throw new IOException("reference failed (" + command + "): " + clip(line));
            }
            try {
                JsonNode n = JSON.readTree(line);
                if (!n.isObject() || !n.has("method") || !n.has("median_ms")) {
                    throw new IOException("unexpected reference output (" + command + "): "
                            + clip(line));
                }
                out.add(n);
            } catch (JsonProcessingException e) {
                throw new IOException("unparsable reference output (" + command + "): "
                        + clip(line), e);
            }
        }
        if (out.isEmpty()) {
            throw new IOException("reference printed no results (" + command + ")");
        }
        return out;
    }

    // ------------------------------------------------------------------------------ golden

    /** One outer step of a golden run. */
    public record GoldenStep(int step, double loss, double mseOut, double dist, double innerLast) {}

    /**
     * A golden run: test PSNR (plain / rescaled adaptation) before and after the steps, and the
     * per-step losses. {@code comments} holds the script's '#' lines (files written, config).
     */
    public record Golden(List<String> comments, double psnrPlainBefore, double psnrRescaledBefore,
            List<GoldenStep> steps, double psnrPlainAfter, double psnrRescaledAfter) {}

    /**
     * Runs {@code gradncp_ref.py golden}: from the init (safetensors) and data (.npy; both are
     * written by the script if missing, so Java can load exactly the same inputs), the first
     * outer-step losses and the test PSNR.
     *
     * @param dataOrNull null = synthetic images, not saved
     * @param dtype float32 or float64
     * @param extraArgs further flags by name: cfg overrides (depth, K, gamma, ...), n-signals,
     *     test-n, seed, save-final
     */
    public Golden golden(Path init, Path dataOrNull, String method, int steps, String dtype,
            int res, int batch, Map<String, String> extraArgs) throws IOException {
        List<String> cmd = goldenCommand(init, dataOrNull, method, steps, dtype, res, batch,
                extraArgs);
        return parseGolden(run(cmd).stdout(), String.join(" ", cmd));
    }

    /** The full command line {@link #golden} runs. */
    public List<String> goldenCommand(Path init, Path dataOrNull, String method, int steps,
            String dtype, int res, int batch, Map<String, String> extraArgs) {
        if (!dtype.equals("float32") && !dtype.equals("float64")) {
            throw new IllegalArgumentException("dtype must be float32 or float64, got " + dtype);
        }
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        positive("res", res);
        positive("batch", batch);
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(), "golden",
                "--init", init.toAbsolutePath().toString()));
        if (dataOrNull != null) {
            cmd.addAll(List.of("--data", dataOrNull.toAbsolutePath().toString()));
        }
        cmd.addAll(List.of("--method", method, "--steps", Integer.toString(steps), "--dtype", dtype,
                "--res", Integer.toString(res), "--batch", Integer.toString(batch)));
        cmd.addAll(cfgFlags(extraArgs));
        return cmd;
    }

    static Golden parseGolden(String stdout, String command) throws IOException {
        List<String> comments = new ArrayList<>();
        List<GoldenStep> steps = new ArrayList<>();
        double[] before = null;
        double[] after = null;
        for (String raw : stdout.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                comments.add(line.substring(1).strip());
                continue;
            }
            String[] t = line.split("\\s+");
            try {
                if (t[0].equals("step") && t.length >= 10) {
                    steps.add(new GoldenStep(Integer.parseInt(t[1]), value(t, "loss"),
                            value(t, "mse_out"), value(t, "dist"), value(t, "inner_last")));
                } else if (t[0].startsWith("test") && t.length >= 5) {
                    double[] p = {value(t, "psnr_plain"), value(t, "psnr_rescaled")};
                    if (before == null) {
                        before = p;
                    } else {
                        after = p;
                    }
                } else {
                    throw new IOException("unexpected golden output (" + command + "): "
                            + clip(line));
                }
            } catch (NumberFormatException e) {
                throw new IOException("unparsable golden output (" + command + "): "
                        + clip(line), e);
            }
        }
        if (before == null || after == null) {
            throw new IOException("golden output lacks the test PSNR lines (" + command + ")");
        }
        return new Golden(List.copyOf(comments), before[0], before[1], List.copyOf(steps),
                after[0], after[1]);
    }

    private static double value(String[] tokens, String key) throws IOException {
        for (int i = 0; i + 1 < tokens.length; i++) {
            if (tokens[i].equals(key)) {
                return Double.parseDouble(tokens[i + 1]);
            }
        }
        throw new IOException("golden line lacks '" + key + "': " + String.join(" ", tokens));
    }

    // ----------------------------------------------------------------------------- helpers

    /** {@code {K_maml=4, depth=5}} -> {@code [--K-maml, 4, --depth, 5]} (map order kept). */
    static List<String> cfgFlags(Map<String, String> args) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : args.entrySet()) {
            String key = e.getKey().strip();
            while (key.startsWith("-")) {
                key = key.substring(1);
            }
            if (key.isEmpty() || !key.matches("[A-Za-z][A-Za-z0-9_-]*")) {
                throw new IllegalArgumentException("bad reference option name '" + e.getKey()
                        + "'; expected e.g. depth, K_maml or K-maml");
            }
            out.add("--" + key.replace('_', '-'));
            out.add(Objects.requireNonNull(e.getValue(), "value of " + key));
        }
        return out;
    }

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + v);
        }
    }

    record Output(int exitCode, String stdout, String stderr) {}

    private Output run(List<String> cmd) throws IOException {
        Output o = exec(cmd, timeout);
        if (o.exitCode() != 0) {
            throw new IOException("reference command failed with exit code " + o.exitCode()
                    + ": " + String.join(" ", cmd) + ": " + tail(o.stderr()));
        }
        return o;
    }

    /** Runs a child with stdin from /dev/null, collecting stdout and stderr. */
    static Output exec(List<String> cmd, Duration timeout) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(
                () -> readAll(p.getErrorStream()));
        try {
            String out = readAll(p.getInputStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("reference command timed out after " + timeout + ": "
                        + String.join(" ", cmd));
            }
            return new Output(p.exitValue(), out, err.get());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted: " + String.join(" ", cmd));
        } catch (ExecutionException e) {
            throw new IOException("cannot read stderr of " + String.join(" ", cmd), e.getCause());
        } catch (UncheckedIOException e) {
            p.destroyForcibly();
            throw e.getCause();
        }
    }

    private static String readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The last few non-blank lines of a child's stderr, joined into one line. */
    static String tail(String stderr) {
        List<String> lines = stderr.lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (lines.isEmpty()) {
            return "(no stderr output)";
        }
        String s = String.join(" | ", lines.subList(
                Math.max(0, lines.size() - STDERR_TAIL_LINES), lines.size()));
        return s.length() > STDERR_TAIL_CHARS ? "..." + s.substring(s.length() - STDERR_TAIL_CHARS)
                : s;
    }

    private static String clip(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Reference[%s %s]", python, script);
    }
}
