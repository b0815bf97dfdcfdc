package dev.runctl.targets.ssh.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * OpenSSH's sshd on 127.0.0.1 on a free port, for tests: a generated ed25519 host key and user key,
 * its own authorized_keys, known_hosts and client config (host alias {@code box}) in a temp folder,
 * and a home folder of its own ({@code SetEnv HOME}) so that nothing lands in the real one. Stopped
 * by pid, with every connection it serves. Its log (DEBUG1) goes to {@code sshd.log} in that
 * folder, never into a session's output; {@link #log} reads it for a failing test. Tests skip when
 * sshd is not installed, unless {@code RUNCTL_REQUIRE_SSH=1} (CI) makes that a failure.
 */
public final class Sshd implements AutoCloseable {
  public static final Path SSHD = Path.of("/usr/sbin/sshd");
  private final Path dir;
  private final int port;
  private Process process;

  private Sshd(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Skips the calling test when sshd is missing (fails it under RUNCTL_REQUIRE_SSH=1). */
  public static void assumeAvailable() {
    boolean present = Files.isExecutable(SSHD) && onPath("ssh");
    if (!present
        && ("1".equals(System.getenv("RUNCTL_REQUIRE_SSH"))
            || "1".equals(System.getenv("RUNCTL_REQUIRE_SSHD")))) {
      throw new AssertionError("RUNCTL_REQUIRE_SSH(D)=1 but /usr/sbin/sshd or ssh is missing");
    }
    Assumptions.assumeTrue(present, "OpenSSH's sshd is not installed");
  }

  public static Sshd start(Path dir) throws Exception {
    return start(dir, java.util.Map.of());
  }

  /**
   * Like {@link #start(Path)}, with {@code sessionEnv} set in every session besides {@code HOME}
   * (e.g. {@code SLURM_CONF} for a login node of a test cluster).
   */
  public static Sshd start(Path dir, java.util.Map<String, String> sessionEnv) throws Exception {
    assumeAvailable();
    Files.createDirectories(dir);
    keygen(dir.resolve("host_key"));
    keygen(dir.resolve("user_key"));
    Files.copy(dir.resolve("user_key.pub"), dir.resolve("authorized_keys"));
    Files.createDirectories(dir.resolve("home"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Sshd sshd = new Sshd(dir, port);
    String hostKey = Files.readString(dir.resolve("host_key.pub")).trim().split(" ")[0];
    String hostKeyData = Files.readString(dir.resolve("host_key.pub")).trim().split(" ")[1];
    Files.writeString(
        dir.resolve("known_hosts"),
        "[127.0.0.1]:" + port + " " + hostKey + " " + hostKeyData + "\n");
    Files.writeString(
        dir.resolve("sshd_config"),
        String.join(
            "\n",
            "Port " + port,
            "ListenAddress 127.0.0.1",
            "HostKey " + dir.resolve("host_key"),
            "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
            "StrictModes no",
            "UsePAM no",
            "PasswordAuthentication no",
            "KbdInteractiveAuthentication no",
            "PidFile none",
            "AllowTcpForwarding yes",
            "SetEnv HOME="
                + dir.resolve("home")
                + sessionEnv.entrySet().stream()
                    .map(e -> " " + e.getKey() + "=" + e.getValue())
                    .collect(java.util.stream.Collectors.joining()),
            "LogLevel DEBUG1",
            ""));
    Files.writeString(dir.resolve("ssh_config"), sshd.clientConfig("box", null));
    sshd.startProcess();
    return sshd;
  }

  /** A client config stanza for {@code alias} (through {@code jump} when given). */
  public String clientConfig(String alias, String jump) {
    return String.join(
        "\n",
        "Host " + alias,
        "  HostName 127.0.0.1",
        "  Port " + port,
        "  User " + System.getProperty("user.name"),
        "  IdentityFile " + dir.resolve("user_key"),
        "  IdentitiesOnly yes",
        "  UserKnownHostsFile " + dir.resolve("known_hosts"),
        "  StrictHostKeyChecking yes",
        "  LogLevel ERROR",
        jump == null ? "" : "  ProxyJump " + jump,
        "");
  }

  /** Starts sshd again on the same port with the same keys (after {@link #stop}). */
  public void startProcess() throws Exception {
    Path run = Path.of("/run/sshd");
    if (!Files.isDirectory(run)) {
      try {
        Files.createDirectories(run);
      } catch (IOException e) {
        // not root: sshd then runs without privilege separation's folder
      }
    }
    // -E, not -e: with -e a session's process logs to its stderr, which is then the session's,
    // and sshd's debug lines reached the output of the commands run through it
    Path log = dir.resolve("sshd.log");
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                SSHD.toString(),
                "-D",
                "-E",
                log.toString(),
                "-f",
                dir.resolve("sshd_config").toString()));
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    process = pb.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        if (!process.isAlive()) {
          throw new IllegalStateException("sshd ended: " + log());
        }
        Thread.sleep(50);
      }
    }
    throw new IllegalStateException("sshd did not listen within 15 s: " + log());
  }

  /** Stops sshd and every connection it serves (its child processes), by pid. */
  public void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    List<ProcessHandle> stopped = new ArrayList<>();
    for (ProcessHandle h : all) {
      // a session's children that called setsid (runctl's wrapper) are not sshd's to stop
      if (h.info().command().map(c -> c.contains("sshd")).orElse(false)) {
        h.destroyForcibly();
        stopped.add(h);
      }
    }
    // gone before the caller deletes the folder: a session's sshd still writing sshd.log made the
    // test's temporary folder fail to delete
    for (ProcessHandle h : stopped) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // a process that outlives SIGKILL for 10 s is the kernel's to end
      }
    }
    process = null;
  }

  public int port() {
    return port;
  }

  public Path dir() {
    return dir;
  }

  /** The client config with host alias {@code box}. */
  public Path clientConfigFile() {
    return dir.resolve("ssh_config");
  }

  /** The home folder sessions get. */
  public Path home() {
    return dir.resolve("home");
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("sshd.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  private static void keygen(Path file) throws Exception {
    Process p =
        new ProcessBuilder(
                List.of(
                    "ssh-keygen",
                    "-q",
                    "-t",
                    "ed25519",
                    "-N",
                    "",
                    "-C",
                    "runctl-test",
                    "-f",
                    file.toString()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException("ssh-keygen failed: " + out);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String d : path.split(":")) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
        return true;
      }
    }
    return false;
  }
}
