package gradncp.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options shared by the bench subcommands (a picocli mixin). */
public final class BenchOptions {
    @Option(
            names = "--warmup",
            defaultValue = "3",
            description = "Untimed iterations before measuring.")
    public int warmup;

    @Option(names = "--repeats", defaultValue = "5", description = "Timed iterations.")
    public int repeats;

    @Option(
            names = "--reference",
            paramLabel = "SCRIPT",
            defaultValue = "../shared/reference/gradncp_ref.py",
            description =
                    "PyTorch reference script, relative to the repository root; skipped"
                            + " when missing or when /usr/bin/python3 cannot import torch.")
    public Path reference;

    @Option(names = "--no-reference", description = "Don't run the PyTorch reference.")
    public boolean noReference;

    @Option(names = "--json", description = "One JSON object per result line.")
    public boolean json;
}
