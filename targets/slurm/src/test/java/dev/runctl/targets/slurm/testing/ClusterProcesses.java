package dev.runctl.targets.slurm.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The daemons of the test cluster, by pid: munged (which forks; its pid file says which), then
 * slurmctld and the two slurmd in the foreground ({@code -D}) as child processes.
 */
public final class ClusterProcesses {
  private final Path root;
  private final Path conf;
  private final List<Process> daemons = new ArrayList<>();
  private long mungePid = -1;

  private ClusterProcesses(Path root) {
    this.root = root;
    this.conf = root.resolve("slurm.conf");
  }

  public Path root() {
    return root;
  }

  public Path conf() {
    return conf;
  }

  static ClusterProcesses start() throws IOException, InterruptedException {
    Path root = Files.createTempDirectory("runctl-slurm");
    Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    ClusterProcesses c = new ClusterProcesses(root);
    try {
      c.startMunge();
      c.writeConf();
      c.daemon("slurmctld", "/usr/sbin/slurmctld", "-D", "-f", c.conf.toString());
      c.daemon("slurmd-n1", "/usr/sbin/slurmd", "-D", "-N", "n1", "-f", c.conf.toString());
      c.daemon("slurmd-n2", "/usr/sbin/slurmd", "-D", "-N", "n2", "-f", c.conf.toString());
      c.awaitIdle();
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.stop();
      throw e;
    }
  }

  private void startMunge() throws IOException, InterruptedException {
    Path dir = root.resolve("munge");
    Files.createDirectories(dir);
    // munged wants its socket folder executable by all, and owned by the munge user
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    sh("chown", "munge:munge", dir.toString());
    String key = dir.resolve("munge.key").toString();
    asMunge("/usr/sbin/mungekey -c -k " + key);
    asMunge(
        "/usr/sbin/munged -S "
            + dir.resolve("socket")
            + " --key-file="
            + key
            + " --log-file="
            + dir.resolve("munged.log")
            + " --pid-file="
            + dir.resolve("munged.pid")
            + " --seed-file="
            + dir.resolve("munged.seed"));
    mungePid = Long.parseLong(Files.readString(dir.resolve("munged.pid")).trim());
  }

  private void writeConf() throws IOException, InterruptedException {
    String host = sh("hostname", "-s").trim();
    for (String d : List.of("state", "spool", "log")) {
      Files.createDirectories(root.resolve(d));
    }
    String text =
        String.join(
            "\n",
            "ClusterName=runctltest",
            "SlurmctldHost=" + host + "(127.0.0.1)",
            "SlurmctldPort=" + freePort(),
            "SlurmUser=root",
            "SlurmdUser=root",
            "AuthType=auth/munge",
            "AuthInfo=socket=" + root.resolve("munge/socket"),
            "CredType=cred/munge",
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core",
            "AccountingStorageType=accounting_storage/none",
            "JobCompType=jobcomp/none",
            "JobAcctGatherType=jobacct_gather/none",
            "MpiDefault=none",
            "ReturnToService=2",
            "KillWait=5",
            "OverTimeLimit=0",
            "MinJobAge=300",
            "StateSaveLocation=" + root.resolve("state"),
            "SlurmdSpoolDir=" + root.resolve("spool") + "/%n",
            "SlurmctldPidFile=" + root.resolve("slurmctld.pid"),
            "SlurmdPidFile=" + root.resolve("slurmd-%n.pid"),
            "SlurmctldLogFile=" + root.resolve("log/slurmctld.log"),
            "SlurmdLogFile=" + root.resolve("log/slurmd-%n.log"),
            node("n1", host),
            node("n2", host),
            "PartitionName=debug Nodes=n1,n2 Default=YES MaxTime=INFINITE State=UP",
            "");
    Files.writeString(conf, text, StandardCharsets.UTF_8);
  }

  private static String node(String name, String host) throws IOException {
    return "NodeName="
        + name
        + " NodeHostname="
        + host
        + " NodeAddr=127.0.0.1 Port="
        + freePort()
        + " CPUs=1 State=UNKNOWN";
  }

  private void daemon(String name, String... argv) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(root.resolve("log/" + name + ".out").toFile());
    pb.environment().put("SLURM_CONF", conf.toString());
    daemons.add(pb.start());
  }

  private void awaitIdle() throws IOException, InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    String last = "";
    while (System.nanoTime() < until) {
      for (Process p : daemons) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "a Slurm daemon exited at start ("
                  + p.info().commandLine().orElse("?")
                  + "); see "
                  + root.resolve("log"));
        }
      }
      try {
        last = SlurmCluster.runWith(conf, "sinfo", "-h", "-N", "-o", "%N %t");
        if (last.lines().filter(l -> l.endsWith(" idle")).count() == 2) {
          return;
        }
      } catch (IOException e) {
        last = e.getMessage(); // slurmctld not answering yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the test cluster's nodes are not idle after 90s: " + last);
  }

  /** Stops the daemons by pid (SIGTERM, then SIGKILL), then munged. */
  void stop() {
    for (int i = daemons.size() - 1; i >= 0; i--) {
      Process p = daemons.get(i);
      p.destroy();
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    daemons.clear();
    if (mungePid > 0) {
      ProcessHandle.of(mungePid).ifPresent(ProcessHandle::destroy);
      mungePid = -1;
    }
  }

  private static void asMunge(String command) throws IOException, InterruptedException {
    sh("su", "-s", "/bin/sh", "munge", "-c", command);
  }

  private static String sh(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", argv) + " failed: " + out);
    }
    return out;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
