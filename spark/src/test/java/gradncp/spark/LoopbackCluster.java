package gradncp.spark;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone cluster on 127.0.0.1 for tests: a Master and N Workers (1 core each), each a
 * separate JVM on this test JVM's class path, as scripts/spark-cluster.sh starts them from the
 * module's jars. A Worker launches its executors from SPARK_HOME/jars (used only in a release
 * layout, marked by a RELEASE file), so SPARK_HOME is a temporary folder whose jars/ links every
 * jar of the class path; the class folders (target/classes, target/test-classes) reach the
 * executors through {@link #executorClassPath()}.
 */
final class LoopbackCluster implements AutoCloseable {
    private final Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<ProcessHandle> stopped = new ArrayList<>();
    final int port;

    private LoopbackCluster(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** A free port on loopback, or -1 when none can be bound. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The test JVM's class path entries (surefire may hide them behind a manifest-only jar). */
    static List<String> classPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(cp.split(File.pathSeparator)).stream().filter(s -> !s.isBlank()).toList();
    }

    /** The class folders of the class path, for spark.executor.extraClassPath. */
    static String executorClassPath() {
        return String.join(File.pathSeparator, classPath().stream().filter(p -> Files.isDirectory(Path.of(p))).toList());
    }

    /** Starts a Master on {@code port} and {@code workers} Workers; waits until all have registered. */
    static LoopbackCluster start(Path dir, int port, int workers, List<String> jvmOptions) throws Exception {
        LoopbackCluster c = new LoopbackCluster(dir, port);
        try {
            Path home = dir.resolve("home");
            Files.createDirectories(home.resolve("jars"));
            Files.createFile(home.resolve("RELEASE"));
            for (String p : classPath()) {
                Path f = Path.of(p);
                if (p.endsWith(".jar") && Files.isRegularFile(f)) {
                    Files.createSymbolicLink(home.resolve("jars").resolve(f.getFileName()), f.toAbsolutePath());
                }
            }
            String master = "spark://127.0.0.1:" + port;
            c.launch("master", jvmOptions, List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", Integer.toString(port), "--webui-port", "0"));
            for (int i = 1; i <= workers; i++) {
                Path work = Files.createDirectories(dir.resolve("work" + i));
                c.launch("worker" + i, jvmOptions, List.of("org.apache.spark.deploy.worker.Worker", "--host",
                        "127.0.0.1", "--cores", "1", "--memory", "2g", "--webui-port", "0", "--work-dir",
                        work.toString(), master));
            }
            c.awaitRegistered(workers, 90);
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    String url() {
        return "spark://127.0.0.1:" + port;
    }

    private void launch(String name, List<String> jvmOptions, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        // Jars only: the module's class folders hold the CLI's quiet log4j2.properties, and the
        // registration wait reads the Workers' INFO lines.
        List<String> jars = classPath().stream().filter(p -> p.endsWith(".jar")).toList();
        cmd.addAll(List.of("-Xmx512m", "-cp", String.join(File.pathSeparator, jars)));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", dir.resolve("home").toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("JAVA_HOME", System.getProperty("java.home"));
        processes.add(pb.start());
    }

    private void awaitRegistered(int workers, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            int n = 0;
            for (int i = 1; i <= workers; i++) {
                Path log = dir.resolve("worker" + i + ".log");
                if (Files.exists(log) && Files.readString(log).contains("Successfully registered with master")) {
                    n++;
                }
            }
            if (n == workers) {
                return;
            }
            for (Process p : processes) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("a cluster JVM exited with " + p.exitValue() + "; worker1.log ends:\n"
                            + tail(dir.resolve("worker1.log")) + "\nmaster.log ends:\n" + tail(dir.resolve("master.log")));
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("workers did not register in " + seconds + " s; worker1.log ends:\n"
                + tail(dir.resolve("worker1.log")) + "\nmaster.log ends:\n" + tail(dir.resolve("master.log")));
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(none)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    /** Every JVM this cluster started, newest first, with their children (executors): TERM, then KILL. */
    @Override
    public void close() {
        List<ProcessHandle> all = new ArrayList<>();
        for (Process p : processes.reversed()) {
            p.toHandle().descendants().forEach(all::add);
            all.add(p.toHandle());
        }
        stopped.addAll(all);
        all.forEach(ProcessHandle::destroy);
        for (ProcessHandle h : all) {
            try {
                h.onExit().get(20, TimeUnit.SECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        }
        // The links to the class path's jars go, so that deleting the folder never follows them.
        try (var links = Files.list(dir.resolve("home").resolve("jars"))) {
            for (Path l : links.toList()) {
                Files.delete(l);
            }
        } catch (IOException e) {
            // nothing linked yet, or already gone
        }
    }

    /** The processes close() stopped (the JVMs started and their children) that are still alive. */
    List<ProcessHandle> aliveAfterClose() {
        return stopped.stream().filter(ProcessHandle::isAlive).toList();
    }
}
