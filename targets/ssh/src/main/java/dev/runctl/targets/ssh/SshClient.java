package dev.runctl.targets.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
  private final SshConfig config;
  private final Consumer<String> notices;
  private final AtomicInteger seq = new AtomicInteger();
  private final SshMaster master;

  SshClient(SshConfig config, Consumer<String> notices) {
    this.config = config;
    this.notices = notices;
    this.master = new SshMaster(this);
  }

  /** Starts the master connection unless one is up; a failure says what to fix. */
  void connect() throws InterruptedException {
    master.connect();
  }

  /** Forgets a master that no longer answers, so that the next command starts a new one. */
  void dropDeadMaster() throws InterruptedException {
    master.dropDead();
  }

  /** Ends the master connection. */
  @Override
  public void close() {
    master.close();
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
            "-o", "ControlPath=" + master.socket()));
    return a;
  }

  /** The argv that runs {@code remoteCommand} (text for the host's login shell) over the master. */
  List<String> argv(String remoteCommand) {
    List<String> a = baseArgs();
    a.addAll(List.of("-o", "ControlMaster=no", "-T", "--", config.host(), remoteCommand));
    return a;
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
    Path err = master.folder().resolve("err-" + seq.incrementAndGet());
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
      SshMaster.quietDelete(err);
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
}
