package dev.runctl.targets.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The OpenSSH client, run as a process with an argv list. One master connection per run ({@code
 * ControlMaster}, its socket in a private folder under /tmp) carries every command, so that the
 * user's {@code ~/.ssh/config} (or {@code ssh_config}), agent, {@code ProxyJump} and known_hosts
 * apply as they do for {@code ssh HOST}, and a hundred commands cost one handshake. A command whose
 * master died (the host rebooted, sshd restarted) starts a new master first.
 */
final class SshClient implements AutoCloseable {
  /** How long an idle master stays after its last command (a killed runctl leaves it that long). */
  static final int PERSIST_SECONDS = 30;

  private final SshConfig config;
  private final Consumer<String> notices;
  private final AtomicInteger seq = new AtomicInteger();
  private Path controlDir;

  SshClient(SshConfig config, Consumer<String> notices) {
    this.config = config;
    this.notices = notices;
  }

  /** Tells the user something about the connection (a reconnect). */
  void notice(String text) {
    notices.accept(text);
  }

  SshConfig config() {
    return config;
  }

  /** What {@code ssh} needs before the host: config file, user, port, key, and the socket. */
  List<String> baseArgs() {
    List<String> a = new ArrayList<>();
    a.add("ssh");
    config.sshConfig().ifPresent(f -> a.addAll(List.of("-F", f.toString())));
    config.port().ifPresent(p -> a.addAll(List.of("-p", Integer.toString(p))));
    config.user().ifPresent(u -> a.addAll(List.of("-l", u)));
    config.identityFile().ifPresent(f -> a.addAll(List.of("-i", f.toString())));
    a.addAll(
        List.of(
            "-o", "BatchMode=yes",
            "-o", "ConnectTimeout=15",
            "-o", "ServerAliveInterval=5",
            "-o", "ServerAliveCountMax=3",
            "-o", "ControlPath=" + socket()));
    return a;
  }

  /** The argv that runs {@code remoteCommand} (text for the host's login shell) over the master. */
  List<String> argv(String remoteCommand) {
    List<String> a = baseArgs();
    a.addAll(List.of("-o", "ControlMaster=no", "-T", "--", config.host(), remoteCommand));
    return a;
  }

  /** For rsync's {@code -e}: the ssh command line over this run's master connection. */
  List<String> rsyncShell() {
    List<String> a = baseArgs();
    a.addAll(List.of("-o", "ControlMaster=no", "-T"));
    return a;
  }

  /** Starts the master connection unless one is up; a failure says what to fix. */
  synchronized void connect() throws InterruptedException {
    if (Files.exists(socket())) {
      return;
    }
    Path log = controlDir().resolve("master.log");
    List<String> a = baseArgs();
    a.addAll(
        List.of(
            "-o",
            "ControlMaster=yes",
            "-o",
            "ControlPersist=" + PERSIST_SECONDS,
            "-f",
            "-N",
            "--",
            config.host()));
    ProcessBuilder pb = new ProcessBuilder(a);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    pb.redirectError(ProcessBuilder.Redirect.to(log.toFile()));
    int code;
    try {
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw SshErrors.unreachable(config, "no answer within 60 s");
      }
      code = p.exitValue();
      String err = Files.readString(log, StandardCharsets.UTF_8);
      if (code != 0 || !Files.exists(socket())) {
        throw SshErrors.classify(config, err.isBlank() ? "ssh exited " + code : err);
      }
    } catch (IOException e) {
      throw SshErrors.noClient(e);
    }
  }

  /** One command's end: exit code, stdout, stderr. Exit 255 with an ssh complaint is a failure. */
  record Result(int exitCode, byte[] stdout, String stderr) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  /**
   * Runs {@code script} with bash on the host, the script itself sent on stdin ({@code bash -s}):
   * nothing of it shows on the host's process list. Connection trouble throws.
   */
  Result script(String script) throws InterruptedException {
    return run("bash -s", out -> out.write(script.getBytes(StandardCharsets.UTF_8)));
  }

  /** Stdin for a command: writes and returns; the stream is closed afterwards. */
  interface Input {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Runs {@code remoteCommand} with {@code input} on its stdin; output captured. */
  Result run(String remoteCommand, Input input) throws InterruptedException {
    connect();
    Path err = controlDir().resolve("err-" + seq.incrementAndGet());
    ProcessBuilder pb = new ProcessBuilder(argv(remoteCommand));
    pb.redirectError(ProcessBuilder.Redirect.to(err.toFile()));
    Process p = start(pb);
    Thread writer = feed(p, input);
    try (InputStream in = p.getInputStream()) {
      byte[] out = in.readAllBytes();
      int code = p.waitFor();
      writer.join();
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      if (code == 255) {
        dropDeadMaster();
        throw SshErrors.classify(config, stderr);
      }
      return new Result(code, out, stderr);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      throw e;
    } finally {
      quietDelete(err);
    }
  }

  /** Starts {@code remoteCommand} with output merged; the caller reads it and waits. */
  Process startStreaming(String remoteCommand, Input input) throws InterruptedException {
    connect();
    ProcessBuilder pb = new ProcessBuilder(argv(remoteCommand)).redirectErrorStream(true);
    Process p = start(pb);
    feed(p, input);
    return p;
  }

  /** Like {@link #startStreaming}, with stderr apart from stdout (a binary stream). */
  Process startStreamingSplit(String remoteCommand, Input input) throws InterruptedException {
    connect();
    Process p = start(new ProcessBuilder(argv(remoteCommand)));
    feed(p, input);
    return p;
  }

  private static Process start(ProcessBuilder pb) {
    try {
      return pb.start();
    } catch (IOException e) {
      throw SshErrors.noClient(e);
    }
  }

  private static Thread feed(Process p, Input input) {
    Thread t =
        new Thread(
            () -> {
              try (OutputStream out = p.getOutputStream()) {
                input.writeTo(out);
              } catch (IOException e) {
                // the command ended or the connection broke: its exit code tells
              }
            },
            "ssh-stdin");
    t.setDaemon(true);
    t.start();
    return t;
  }

  /**
   * Removes the socket of a master that no longer answers (its connection broke), so that the next
   * command starts a new one instead of connecting on its own.
   */
  synchronized void dropDeadMaster() throws InterruptedException {
    if (controlDir == null || !Files.exists(socket())) {
      return;
    }
    List<String> a = baseArgs();
    a.addAll(List.of("-O", "check", "--", config.host()));
    try {
      Process p =
          new ProcessBuilder(a)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        quietDelete(socket());
      }
    } catch (IOException e) {
      quietDelete(socket());
    }
  }

  /** Ends the master connection and removes its folder. */
  @Override
  public synchronized void close() {
    if (controlDir == null) {
      return;
    }
    if (Files.exists(socket())) {
      List<String> a = baseArgs();
      a.addAll(List.of("-O", "exit", "--", config.host()));
      try {
        Process p =
            new ProcessBuilder(a)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (IOException e) {
        // nothing to end
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (var files = Files.list(controlDir)) {
      files.forEach(SshClient::quietDelete);
    } catch (IOException e) {
      // already gone
    }
    quietDelete(controlDir);
    controlDir = null;
  }

  private Path socket() {
    return controlDir().resolve("m");
  }

  /** A private folder with a short path: a socket path must stay under ~100 bytes. */
  private synchronized Path controlDir() {
    if (controlDir == null) {
      try {
        controlDir =
            Files.createTempDirectory(
                Path.of("/tmp"),
                "rcs-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a folder for the ssh connection in /tmp", e);
      }
    }
    return controlDir;
  }

  private static void quietDelete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // best effort
    }
  }
}
