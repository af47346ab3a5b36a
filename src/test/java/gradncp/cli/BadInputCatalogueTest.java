package gradncp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import gradncp.config.MetaConfig;
import gradncp.data.Images;
import gradncp.data.Npy;
import gradncp.data.Wav;
import gradncp.nn.Decoder;
import gradncp.nn.Decoders;
import gradncp.run.Checkpoint;
import gradncp.run.RunLock;
import gradncp.tensor.DType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input of every kind a new user or an attacker tries, through the CLI in-process: each case
 * must exit with its code (1 bad input, 2 bad option value), print exactly one line on stderr that
 * starts with "gradncp: error:" and names the offending path, key or value, print no stack trace,
 * and leave the folder it ran in exactly as it was (no output, no partial file, no lock file).
 */
class BadInputCatalogueTest {
    @TempDir static Path dir;
    private static RunLock held;

    /** One bad input: its category, the expected exit code, a text the error must contain, the arguments. */
    record Case(String category, String name, int code, String needle, String... args) {}

    static final List<String> TINY = List.of("data=builtin:text:4", "resolution=8", "width=8", "depth=3",
            "metaBatch=2", "innerSteps=1", "bootSteps=1", "outerSteps=2", "evalEvery=0", "testSignals=2");

    static MetaConfig tiny() {
        return MetaConfig.defaults().withOverrides(TINY);
    }

    static String[] train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("train", "--out", out.toString(), "--quiet"));
        for (String s : TINY) {
            a.add("--set");
            a.add(s);
        }
        a.addAll(List.of(extra));
        return a.toArray(String[]::new);
    }

    static Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    static List<Case> cases() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        MetaConfig cfg = tiny();
        Decoder siren = Decoders.of(cfg, 2, 3);
        Path ckpt = in.resolve("init.safetensors");
        Checkpoint.save(ckpt, siren, cfg, siren.init(0, DType.F32), null, Map.of());
        Path bare = in.resolve("bare.safetensors");
        gradncp.io.Safetensors.write(bare, Checkpoint.paramEntries(siren.params(), siren.init(0, DType.F32)),
                Map.of());
        Path future = in.resolve("future.safetensors");
        gradncp.io.Safetensors.write(future, Checkpoint.paramEntries(siren.params(), siren.init(0, DType.F32)),
                Map.of("format", "gradncp/99"));
        Path truncated = in.resolve("truncated.safetensors");
        byte[] whole = Files.readAllBytes(ckpt);
        Files.write(truncated, java.util.Arrays.copyOf(whole, whole.length / 2));
        Path garbage = in.resolve("garbage.safetensors");
        Files.write(garbage, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0, 0, 0, '{'});
        Path png = in.resolve("photo.png");
        Images.writePng(png, new float[12 * 12 * 3], 12, 12, 3);
        Path fakePng = write("in/fake.png", "this is not an image");
        Path noImages = Files.createDirectories(in.resolve("no-images"));
        write("in/no-images/readme.txt", "nothing here");
        Path wav = in.resolve("tone.wav");
        Wav.write(wav, new float[800], 8000);
        Path greyNpy = in.resolve("grey.npy");
        Npy.write(greyNpy, new int[] {4, 8, 8}, new float[4 * 8 * 8]);
        Path bigNpy = in.resolve("rgb16.npy");
        Npy.write(bigNpy, new int[] {4, 16, 16, 3}, new float[4 * 16 * 16 * 3]);
        Path badShapeNpy = in.resolve("rect.npy");
        Npy.write(badShapeNpy, new int[] {4, 8, 6, 3}, new float[4 * 8 * 6 * 3]);
        Path empty = write("in/empty.yaml", "");
        Path comments = write("in/comments.yaml", "# only a comment\n");
        Path dup = write("in/dup.yaml", "width: 16\ndepth: 3\nwidth: 32\n");
        Path list = write("in/list.yaml", "- width\n- 16\n");
        Path broken = write("in/broken.yaml", "width: [16\n");
        Path unknown = write("in/unknown.yaml", "skip_bad: true\n");
        Path badValue = write("in/bad-value.yaml", "w0: -3\n");
        Path nested = write("in/nested.yaml", "width:\n  a: 1\n");
        Path aFile = write("in/a-file", "x");
        Path sphereDir = Files.createDirectories(in.resolve("sphere-no-grid"));
        Npy.write(sphereDir.resolve("field.npy"), new int[] {4, 8}, new float[32]);
        // A run folder whose checkpoint was written with another config, and one with a broken checkpoint.
        Path other = Files.createDirectories(dir.resolve("other-run"));
        Decoder wide = Decoders.of(cfg.withOverrides(List.of("width=16")), 2, 3);
        Checkpoint.save(other.resolve("last.safetensors"), wide, cfg.withOverrides(List.of("width=16")),
                wide.init(0, DType.F32), new Checkpoint.State(2, 0, null, null, 0), Map.of());
        Path brokenRun = Files.createDirectories(dir.resolve("broken-run"));
        Files.write(brokenRun.resolve("last.safetensors"), java.util.Arrays.copyOf(whole, 100));
        Path ahead = Files.createDirectories(dir.resolve("ahead-run"));
        Checkpoint.save(ahead.resolve("last.safetensors"), siren, cfg.withOverrides(List.of("outerSteps=50")),
                siren.init(0, DType.F32), new Checkpoint.State(50, 0, null, null, 0), Map.of());
        Path busy = dir.resolve("busy-run");
        held = RunLock.acquire(busy);

        String c = ckpt.toString();
        List<Case> k = new ArrayList<>();
        // paths
        k.add(new Case("paths", "config missing", 1, "missing.yaml", train(out, "--config", in + "/missing.yaml")));
        k.add(new Case("paths", "config is a directory", 1, in + ": is a directory", train(out, "--config", in.toString())));
        k.add(new Case("paths", "data missing", 1, "/no/such/data", train(out, "--set", "data=/no/such/data")));
        k.add(new Case("paths", "eval checkpoint missing", 1, in + "/nope.safetensors",
                "eval", "--checkpoint", in + "/nope.safetensors", "--data", "builtin:text:2"));
        k.add(new Case("paths", "eval checkpoint is a directory", 1, in.toString(),
                "eval", "--checkpoint", in.toString(), "--data", "builtin:text:2"));
        k.add(new Case("paths", "fit input missing", 1, in + "/nope.png",
                "fit", "--checkpoint", c, "--input", in + "/nope.png", "--out", out.toString()));
        k.add(new Case("paths", "fit folder without images", 1, noImages.toString(),
                "fit", "--checkpoint", c, "--input", noImages.toString(), "--out", out.toString()));
        k.add(new Case("paths", "info missing", 1, in + "/nope.safetensors", "info", in + "/nope.safetensors"));
        k.add(new Case("paths", "report checkpoint missing", 1, in + "/nope.safetensors", "report", "--checkpoint",
                in + "/nope.safetensors", "--data", "builtin:text:2", "--out", out.toString()));
        k.add(new Case("paths", "lpips weights missing", 2, in + "/alex.safetensors", "eval", "--checkpoint", c,
                "--data", "builtin:text:2", "--lpips-weights", in + "/alex.safetensors"));
        // formats
        k.add(new Case("formats", "text file named .png", 1, fakePng.toString(),
                "fit", "--checkpoint", c, "--input", fakePng.toString(), "--out", out.toString()));
        k.add(new Case("formats", "truncated checkpoint", 1, truncated.toString(), "info", truncated.toString()));
        k.add(new Case("formats", "garbage checkpoint header", 1, garbage.toString(), "info", garbage.toString()));
        k.add(new Case("formats", "png given as checkpoint", 1, png.toString(),
                "eval", "--checkpoint", png.toString(), "--data", "builtin:text:2"));
        k.add(new Case("formats", "data file of unknown kind", 1, aFile.toString(),
                "eval", "--checkpoint", c, "--data", aFile.toString()));
        k.add(new Case("formats", "yaml list", 1, list.toString(), train(out, "--config", list.toString())));
        k.add(new Case("formats", "yaml syntax error", 1, broken.toString(), train(out, "--config", broken.toString())));
        k.add(new Case("formats", "yaml nested value", 1, "width", train(out, "--config", nested.toString())));
        // shapes
        k.add(new Case("shapes", "npy without channel axis, channels=3", 1, greyNpy.toString(),
                train(out, "--set", "data=" + greyNpy)));
        k.add(new Case("shapes", "npy resolution differs from config", 1, "resolution=8",
                train(out, "--set", "data=" + bigNpy)));
        k.add(new Case("shapes", "npy not square", 1, badShapeNpy.toString(), train(out, "--set", "data=" + badShapeNpy)));
        k.add(new Case("shapes", "eval npy of the wrong size", 1, bigNpy.toString(),
                "eval", "--checkpoint", c, "--data", bigNpy.toString()));
        // numbers
        k.add(new Case("numbers", "fit --size 0", 2, "--size", "fit", "--checkpoint", c, "--input", png.toString(),
                "--size", "0", "--out", out.toString()));
        k.add(new Case("numbers", "fit --size 100000", 2, "100000", "fit", "--checkpoint", c, "--input",
                png.toString(), "--size", "100000", "--out", out.toString()));
        k.add(new Case("numbers", "fit --steps -1", 2, "--steps", "fit", "--checkpoint", c, "--input", png.toString(),
                "--steps", "-1", "--out", out.toString()));
        k.add(new Case("numbers", "eval --lr NaN", 2, "--lr", "eval", "--checkpoint", c, "--data", "builtin:text:2",
                "--lr", "NaN"));
        k.add(new Case("numbers", "eval --lr -1", 2, "-1.0", "eval", "--checkpoint", c, "--data", "builtin:text:2",
                "--lr", "-1"));
        k.add(new Case("numbers", "eval --lr Infinity", 2, "Infinity", "eval", "--checkpoint", c, "--data",
                "builtin:text:2", "--lr", "Infinity"));
        k.add(new Case("numbers", "eval --limit -1", 2, "--limit", "eval", "--checkpoint", c, "--data",
                "builtin:text:2", "--limit", "-1"));
        k.add(new Case("numbers", "eval --batch 0", 2, "--batch", "eval", "--checkpoint", c, "--data",
                "builtin:text:2", "--batch", "0"));
        k.add(new Case("numbers", "eval --context-ratio 1.5", 2, "1.5", "eval", "--checkpoint", c, "--data",
                "builtin:text:2", "--context-ratio", "1.5"));
        k.add(new Case("numbers", "eval --steps abc", 2, "abc", "eval", "--checkpoint", c, "--data",
                "builtin:text:2", "--steps", "abc"));
        k.add(new Case("numbers", "eval --episodes 0", 2, "--episodes", "eval", "--checkpoint", c, "--data",
                "builtin:text:2", "--episodes", "0"));
        k.add(new Case("numbers", "eval --protocols fancy", 2, "fancy", "eval", "--checkpoint", c, "--data",
                "builtin:text:2", "--protocols", "plain,fancy"));
        k.add(new Case("numbers", "train --stop-after -1", 2, "--stop-after", train(out, "--stop-after", "-1")));
        k.add(new Case("numbers", "train --log-every 0", 2, "--log-every", train(out, "--log-every", "0")));
        k.add(new Case("numbers", "set width=-1", 2, "width", train(out, "--set", "width=-1")));
        k.add(new Case("numbers", "set outerLr=NaN", 2, "outerLr", train(out, "--set", "outerLr=NaN")));
        k.add(new Case("numbers", "set metaBatch beyond int", 2, "metaBatch",
                train(out, "--set", "metaBatch=99999999999")));
        k.add(new Case("numbers", "demo --steps -1", 2, "--steps", "demo", "--steps", "-1", "--out", out.toString()));
        k.add(new Case("numbers", "report --points 1", 2, "--points", "report", "--checkpoint", c, "--data",
                "builtin:text:2", "--out", out.toString(), "--points", "1"));
        k.add(new Case("numbers", "bench memory --width 0", 2, "--width", "bench", "memory", "--width", "0",
                "--plot", out + "/m.png"));
        k.add(new Case("numbers", "bench meta --res 0", 2, "--res", "bench", "meta", "--res", "0"));
        k.add(new Case("numbers", "gradcheck --order 7", 2, "--order", "gradcheck", "--order", "7"));
        k.add(new Case("numbers", "builtin text count not a number", 1, "builtin:text:many",
                train(out, "--set", "data=builtin:text:many")));
        // configs
        k.add(new Case("configs", "empty yaml", 1, empty + " is empty", train(out, "--config", empty.toString())));
        k.add(new Case("configs", "yaml of comments only", 1, comments + " is empty",
                train(out, "--config", comments.toString())));
        k.add(new Case("configs", "duplicate yaml key", 1, "width", train(out, "--config", dup.toString())));
        k.add(new Case("configs", "unknown yaml key", 1, "skip_bad", train(out, "--config", unknown.toString())));
        k.add(new Case("configs", "bad yaml value", 1, "w0", train(out, "--config", badValue.toString())));
        k.add(new Case("configs", "unknown --set key", 2, "skipBad", train(out, "--set", "skipBad=true")));
        k.add(new Case("configs", "nanPolicy=mask", 2, "mask", train(out, "--set", "nanPolicy=mask")));
        k.add(new Case("configs", "--set without =", 2, "width16", train(out, "--set", "width16")));
        k.add(new Case("configs", "unknown decoder", 1, "transformer", train(out, "--set", "decoder=transformer")));
        k.add(new Case("configs", "does not fit the heap", 1, "-Xmx", train(out, "--set", "resolution=3000",
                "--set", "width=256", "--set", "depth=5", "--set", "metaBatch=8", "--set", "innerSteps=16")));
        k.add(new Case("configs", "iid metaBatch larger than the data", 1, "metaBatch 9",
                train(out, "--set", "sampler=iid", "--set", "metaBatch=9")));
        // checkpoints
        k.add(new Case("checkpoints", "resume with another config", 1, "width: 16 -> 8", train(other)));
        k.add(new Case("checkpoints", "resume from a broken checkpoint", 1, brokenRun.toString(), train(brokenRun)));
        k.add(new Case("checkpoints", "resume past outerSteps", 1, "outerSteps=2", train(ahead)));
        k.add(new Case("checkpoints", "bare parameter file", 1, bare.toString(),
                "eval", "--checkpoint", bare.toString(), "--data", "builtin:text:2"));
        k.add(new Case("checkpoints", "format from the future", 1, "gradncp/99",
                "fit", "--checkpoint", future.toString(), "--input", png.toString(), "--out", out.toString()));
        // modalities
        k.add(new Case("modalities", "wav into an image fit", 1, wav.toString(),
                "fit", "--checkpoint", c, "--input", wav.toString(), "--out", out.toString()));
        k.add(new Case("modalities", "audio training on an image", 1, png.toString(),
                train(out, "--set", "modality=audio", "--set", "data=" + png)));
        k.add(new Case("modalities", "sphere without lat/lon", 1, "lat.npy",
                train(out, "--set", "modality=sphere", "--set", "data=" + sphereDir)));
        k.add(new Case("modalities", "image eval on builtin tones", 1, "builtin:tones",
                "eval", "--checkpoint", c, "--data", "builtin:tones"));
        k.add(new Case("modalities", "unknown modality", 2, "modality", train(out, "--set", "modality=smell")));
        // output folders
        k.add(new Case("output folders", "train --out is a file", 2, aFile.toString(), train(aFile)));
        k.add(new Case("output folders", "fit --out is a file", 2, aFile.toString(),
                "fit", "--checkpoint", c, "--input", png.toString(), "--out", aFile.toString()));
        k.add(new Case("output folders", "report --out is a file", 2, aFile.toString(), "report", "--checkpoint", c,
                "--data", "builtin:text:2", "--out", aFile.toString()));
        k.add(new Case("output folders", "demo --out is a file", 2, aFile.toString(), "demo", "--out", aFile.toString()));
        k.add(new Case("output folders", "folder in use by another run", 1, busy + " is in use by another run",
                train(busy)));
        return k;
    }

    @AfterAll
    static void release() throws IOException {
        if (held != null) {
            held.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputIsOneLineAndWritesNothing() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 40, "the catalogue has " + cases.size() + " cases");
        Map<String, Integer> perCategory = new TreeMap<>();
        cases.forEach(k -> perCategory.merge(k.category(), 1, Integer::sum));
        assertEquals(8, perCategory.size(), perCategory.toString());
        return cases.stream().map(k -> DynamicTest.dynamicTest(k.category() + ": " + k.name(), () -> check(k)));
    }

    private static void check(Case k) throws IOException {
        Map<String, String> before = snapshot();
        TrainCliTest.Run r = TrainCliTest.run(k.args());
        String err = r.err().strip();
        String label = k.name() + " -> exit " + r.code() + ", stderr: " + err;
        assertEquals(k.code(), r.code(), label);
        assertEquals(1, err.lines().count(), label);
        assertTrue(err.startsWith("gradncp: error: "), label);
        assertTrue(err.contains(k.needle()), "should name '" + k.needle() + "': " + label);
        assertFalse(err.contains("Exception") || err.contains("\tat "), label);
        assertEquals(before, snapshot(), "files changed: " + label);
    }

    /** Every file and folder under dir with its size and modification time. */
    private static Map<String, String> snapshot() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted().toList()) {
                m.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        }
        return m;
    }
}
