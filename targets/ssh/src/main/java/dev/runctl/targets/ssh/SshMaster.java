package dev.runctl.targets.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The run's one master connection ({@code ControlMaster}): started with {@code ssh -f -N} when no
 * socket is there, its socket in a private folder with a short path under /tmp, ended with {@code
 * ssh -O exit}. A master whose connection broke removes its socket or no longer answers {@code -O
 * check}; then the next command starts a new one.
 */
final class SshMaster {
  /** How long an idle master stays after its last command (a killed runctl leaves it that long). */
  static final int PERSIST_SECONDS = 30;

  private final SshClient ssh;
  private Path controlDir;

  SshMaster(SshClient ssh) {
    this.ssh = ssh;
  }

  /** Starts the master connection unless one is up; a failure says what to fix. */
  synchronized void connect() throws InterruptedException {
    if (Files.exists(socket())) {
      return;
    }
    Path log = folder().resolve("master.log");
    List<String> a = ssh.baseArgs();
    a.addAll(
        List.of(
            "-o",
            "ControlMaster=yes",
            "-o",
            "ControlPersist=" + PERSIST_SECONDS,
            "-f",
            "-N",
            "--",
            ssh.config().host()));
    ProcessBuilder pb = new ProcessBuilder(a);
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    pb.redirectError(ProcessBuilder.Redirect.to(log.toFile()));
    int code;
    try {
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw SshErrors.unreachable(ssh.config(), "no answer within 60 s");
      }
      code = p.exitValue();
      String err = Files.readString(log, StandardCharsets.UTF_8);
      if (code != 0 || !Files.exists(socket())) {
        throw SshErrors.classify(ssh.config(), err.isBlank() ? "ssh exited " + code : err);
      }
    } catch (IOException e) {
      throw SshErrors.noClient(e);
    }
  }

  /**
   * Removes the socket of a master that no longer answers (its connection broke), so that the next
   * command starts a new one instead of connecting on its own.
   */
  synchronized void dropDead() throws InterruptedException {
    if (controlDir == null || !Files.exists(socket())) {
      return;
    }
    List<String> a = ssh.baseArgs();
    a.addAll(List.of("-O", "check", "--", ssh.config().host()));
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
  synchronized void close() {
    if (controlDir == null) {
      return;
    }
    if (Files.exists(socket())) {
      List<String> a = ssh.baseArgs();
      a.addAll(List.of("-O", "exit", "--", ssh.config().host()));
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
      files.forEach(SshMaster::quietDelete);
    } catch (IOException e) {
      // already gone
    }
    quietDelete(controlDir);
    controlDir = null;
  }

  Path socket() {
    return folder().resolve("m");
  }

  /** A private folder with a short path: a socket path must stay under ~100 bytes. */
  synchronized Path folder() {
    if (controlDir == null) {
      removeStale();
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

  /**
   * Removes the folders that killed runctls left: no socket (their master ended), untouched for an
   * hour (every command of a live run writes there).
   */
  private static void removeStale() {
    long hourAgo = System.currentTimeMillis() - 3_600_000L;
    try (var dirs = Files.newDirectoryStream(Path.of("/tmp"), "rcs-*")) {
      for (Path d : dirs) {
        if (Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            && Files.isWritable(d)
            && !Files.exists(d.resolve("m"))
            && Files.getLastModifiedTime(d).toMillis() < hourAgo) {
          try (var files = Files.list(d)) {
            files.forEach(SshMaster::quietDelete);
          }
          quietDelete(d);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // another user's folder, or one going away: not ours to clean
    }
  }

  static void quietDelete(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // best effort
    }
  }
}
