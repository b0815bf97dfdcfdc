package dev.runctl.targets.local;

import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.StepLog;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The one place where the local target starts processes. Every command gets its own session and
 * process group (through {@code setsid}, or a Python shim where {@code setsid} is missing), so that
 * stopping it stops everything it started: SIGTERM to the group, SIGKILL after the grace period.
 * Arguments are always an argv list; nothing is ever joined into a command string.
 */
public final class ProcessRunner {
  private static final String PY_SETSID =
      "import os, sys; os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])";

  private final Duration killGrace;
  private final List<String> sessionPrefix;

  public ProcessRunner(Duration killGrace) {
    this.killGrace = killGrace;
    this.sessionPrefix = onPath("setsid") ? List.of("setsid") : List.of("python3", "-c", PY_SETSID);
  }

  public static ProcessRunner system() {
    return new ProcessRunner(Duration.ofSeconds(10));
  }

  public Duration killGrace() {
    return killGrace;
  }

  /**
   * Runs {@code argv} to its end in a new session, its stdout and stderr merged and streamed into
   * {@code log}. An interrupt of the calling thread stops the whole process group and rethrows.
   */
  public ExecResult run(List<String> argv, Map<String, String> env, Path cwd, StepLog log)
      throws InterruptedException {
    ProcessBuilder pb = builder(argv, env, cwd).redirectErrorStream(true);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    Process process = start(pb, argv);
    TailPump pump = new TailPump(process.getInputStream(), log);
    Thread pumpThread = new Thread(pump, "exec-output-" + process.pid());
    pumpThread.setDaemon(true);
    pumpThread.start();
    try {
      int code = process.waitFor();
      // Output may still be buffered in the pipe, or held open by a child left in the group.
      pumpThread.join(Duration.ofSeconds(5).toMillis());
      if (pumpThread.isAlive()) {
        signalGroup(process.pid(), "KILL");
        pumpThread.join(Duration.ofSeconds(2).toMillis());
      }
      return new ExecResult(code, pump.tail());
    } catch (InterruptedException e) {
      stopGroup(process.pid(), killGrace, () -> !process.isAlive());
      throw e;
    }
  }

  /**
   * Starts {@code argv} in a new session with no pipes to this JVM (stdin from /dev/null, output
   * discarded): it survives runctl. Returns its pid, which is also its process group id.
   */
  public long spawnDetached(List<String> argv, Map<String, String> env, Path cwd) {
    ProcessBuilder pb = builder(argv, env, cwd);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return start(pb, argv).pid();
  }

  /** Sends {@code signal} (e.g. TERM, KILL) to the process group {@code pgid}; quiet if gone. */
  public void signalGroup(long pgid, String signal) {
    ProcessBuilder pb = new ProcessBuilder(List.of("kill", "-" + signal, "--", "-" + pgid));
    pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    try {
      Process p = pb.start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run kill to signal process group " + pgid, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * SIGTERM to the group, then SIGKILL once {@code grace} passed while {@code ended} is false, or
   * at once when the thread is interrupted during the grace period (a second Ctrl+C). Never throws
   * InterruptedException: stopping must finish even on an interrupted thread; the interrupt status
   * is kept for the caller.
   */
  public void stopGroup(long pgid, Duration grace, java.util.function.BooleanSupplier ended) {
    boolean interrupted = Thread.interrupted();
    try {
      signalGroup(pgid, "TERM");
      interrupted |= Thread.interrupted();
      long deadline = System.nanoTime() + grace.toNanos();
      try {
        while (!ended.getAsBoolean() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      } catch (InterruptedException e) {
        interrupted = true; // asked again: no more grace
      }
      if (!ended.getAsBoolean()) {
        signalGroup(pgid, "KILL");
        interrupted |= Thread.interrupted();
        long hardDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!ended.getAsBoolean() && System.nanoTime() < hardDeadline) {
          sleepQuietly(20);
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** When the process {@code pid} started, or empty when there is no such process. */
  public static Optional<Instant> startTime(long pid) {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .flatMap(h -> h.info().startInstant());
  }

  /** True when {@code pid} is alive and is the process that started at {@code startMillis}. */
  public static boolean isSameAlive(long pid, long startMillis) {
    return startTime(pid).map(t -> Math.abs(t.toEpochMilli() - startMillis) < 1000).orElse(false);
  }

  /** The argv prefix that starts a program in a new session ({@code setsid}, or a shim). */
  public List<String> sessionPrefix() {
    return sessionPrefix;
  }

  private ProcessBuilder builder(List<String> argv, Map<String, String> env, Path cwd) {
    List<String> full = new ArrayList<>(sessionPrefix);
    full.addAll(argv);
    ProcessBuilder pb = new ProcessBuilder(full);
    pb.directory(cwd.toFile());
    pb.environment().putAll(env);
    return pb;
  }

  private static Process start(ProcessBuilder pb, List<String> argv) {
    if (!Files.isDirectory(pb.directory().toPath())) {
      throw new UncheckedIOException(
          new IOException(
              "cannot run "
                  + argv.get(0)
                  + ": working folder "
                  + pb.directory()
                  + " does not exist"));
    }
    try {
      return pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      // keep stopping; the caller restores the flag
    }
  }
}
