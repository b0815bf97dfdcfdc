package dev.runctl.targets.slurm.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Slurm cluster on this machine for a test class: {@code munged} (as the munge user, its own
 * key made by {@code mungekey} and its own socket), {@code slurmctld} and two {@code slurmd} (nodes
 * {@code n1}, {@code n2} on 127.0.0.1, distinct ports, one CPU each), all state, spool and logs
 * under a temporary folder and every client pointed at the generated conf by {@code SLURM_CONF}.
 * Started once per test JVM (the first class that asks), waited for until both nodes are idle,
 * stopped by pid when the JVM's tests are done; before each test every job left in the queue is
 * cancelled. Without the Slurm and munge binaries (or not as root) the tests are skipped, unless
 * {@code RUNCTL_REQUIRE_SLURM=1}: then they fail.
 */
public final class SlurmCluster implements BeforeAllCallback, BeforeEachCallback {
  private static final List<String> BINARIES =
      List.of(
          "/usr/sbin/munged",
          "/usr/sbin/mungekey",
          "/usr/sbin/slurmctld",
          "/usr/sbin/slurmd",
          "/usr/bin/sbatch",
          "/usr/bin/squeue",
          "/usr/bin/scontrol",
          "/usr/bin/sinfo",
          "/usr/bin/srun");

  private static ClusterProcesses cluster;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    require();
    synchronized (SlurmCluster.class) {
      if (cluster == null) {
        ClusterProcesses started = ClusterProcesses.start();
        cluster = started;
        context
            .getRoot()
            .getStore(ExtensionContext.Namespace.GLOBAL)
            .put(SlurmCluster.class, new Stopper(started));
      }
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    cancelAll();
  }

  /** The running cluster; only inside a test of a class that uses this extension. */
  public static ClusterProcesses cluster() {
    if (cluster == null) {
      throw new IllegalStateException(
          "no cluster: annotate the test with @ExtendWith(SlurmCluster.class)");
    }
    return cluster;
  }

  /** The environment that points Slurm's commands at the test cluster. */
  public static Map<String, String> env() {
    return Map.of("SLURM_CONF", cluster().conf().toString());
  }

  /** Runs a Slurm client command against the cluster; its stdout (fails on a non-zero exit). */
  public static String run(String... argv) throws IOException, InterruptedException {
    return runWith(cluster().conf(), argv);
  }

  static String runWith(Path conf, String... argv) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("SLURM_CONF", conf.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " failed: " + out);
    }
    return out;
  }

  /** Every job in the queue (pending, running, completing): "id name state" lines. */
  public static List<String> queue() throws IOException, InterruptedException {
    return run("squeue", "-h", "-o", "%i %j %T").lines().filter(l -> !l.isBlank()).toList();
  }

  /** Cancels every job and waits until the queue is empty. */
  public static void cancelAll() throws IOException, InterruptedException {
    if (!queue().isEmpty()) {
      run("scancel", "--user=" + System.getProperty("user.name"));
    }
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!queue().isEmpty()) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("jobs still queued after scancel: " + queue());
      }
      Thread.sleep(200);
    }
  }

  /** Stops the cluster when the JVM's tests are done. */
  private record Stopper(ClusterProcesses started)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() throws Exception {
      synchronized (SlurmCluster.class) {
        try {
          cancelAll();
        } finally {
          started.stop();
          cluster = null;
        }
      }
    }
  }

  private static void require() {
    List<String> missing = BINARIES.stream().filter(b -> !Files.isExecutable(Path.of(b))).toList();
    boolean root = "root".equals(System.getProperty("user.name"));
    String why =
        !missing.isEmpty()
            ? "missing "
                + String.join(", ", missing)
                + " (apt-get install slurmctld slurmd"
                + " slurm-client munge)"
            : root ? null : "the test cluster runs its daemons as root";
    if (why != null && "1".equals(System.getenv("RUNCTL_REQUIRE_SLURM"))) {
      throw new IllegalStateException("RUNCTL_REQUIRE_SLURM=1 but " + why);
    }
    Assumptions.assumeTrue(why == null, "no Slurm test cluster: " + why);
  }
}
