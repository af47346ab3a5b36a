package gradncp.spark;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The Spark entry point: {@code gradncp fit|eval|train --master URL ...} (the launcher hands
 * those here) and {@code gradncp spark export|to-parquet|classify}.
 */
@Command(name = "gradncp", mixinStandardHelpOptions = true,
        description = "gradncp on Apache Spark: distributed fit and eval, data-parallel meta-training, functa export"
                + " and downstream classification.",
        subcommands = {SparkFitCommand.class, SparkEvalCommand.class, SparkTrainCommand.class, ExportCommand.class,
            ToParquetCommand.class, ClassifyCommand.class})
public final class SparkMain {
    private SparkMain() {}

    public static void main(String[] args) {
        String[] a = args.length > 0 && args[0].equals("spark") ? java.util.Arrays.copyOfRange(args, 1, args.length)
                : args;
        CommandLine cl = new CommandLine(new SparkMain());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("gradncp: error: " + e.getMessage());
            if (Boolean.getBoolean("gradncp.stacktrace")) e.printStackTrace(cmd.getErr());
            return 1;
        });
        System.exit(cl.execute(a));
    }
}
