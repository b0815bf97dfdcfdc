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
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The one place where the local target starts processes. Every command gets its own session and
 * process group, so that stopping it stops everything it started: SIGTERM to the group, SIGKILL
 * after the grace period. Arguments are always an argv list; nothing is ever joined into a command
 * string.
 *
 * <p>Attached commands ({@link #run}) are started by a {@link SpawnHelper}, one long-lived Python
 * process that spawns each in a new session with {@code posix_spawn} and relays its output; it
 * stops them when this JVM ends. Without a usable Python 3.9+ they are started by the JVM through
 * {@code setsid} (resolved once to its absolute path), as detached processes always are.
 */
public final class ProcessRunner {
  private static final String PY_SETSID =
      "import os, sys; os.setsid(); os.execvp(sys.argv[1], sys.argv[1:])";

  private static final Duration HELPER_READY = Duration.ofSeconds(10);

  /**
   * How long a command's output may stay open after it exited. Its own last output is in the pipe
   * already; beyond that only a process it left in the background holds the pipe, and the step does
   * not wait for that.
   */
  static final Duration DRAIN = Duration.ofSeconds(1);

  private final Duration killGrace;
  private final List<String> sessionPrefix;
  private final boolean useHelper;
  private final ProcessScan scan = new ProcessScan();
  private SpawnHelper helper;
  private boolean helperFailed;

  public ProcessRunner(Duration killGrace) {
    this(killGrace, true);
  }

  /** With {@code useHelper} false, every command is started by the JVM through setsid. */
  public ProcessRunner(Duration killGrace, boolean useHelper) {
    this.killGrace = killGrace;
    this.sessionPrefix =
        onPath("setsid")
            .map(p -> List.of(p.toString()))
            .orElse(List.of("python3", "-c", PY_SETSID));
    this.useHelper = useHelper;
  }

  public static ProcessRunner system() {
    return new ProcessRunner(
        Duration.ofSeconds(10), !"jvm".equals(System.getProperty("runctl.spawn")));
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
    SpawnHelper h = helper();
    if (h == null) {
      return runByJvm(argv, env, cwd, log);
    }
    checkFolder(cwd, argv);
    return new HelperCommand(h, this).run(argv, env, cwd, log);
  }

  /**
   * Starts the spawn helper now, without waiting for it, so that its start-up overlaps other work;
   * {@link #run} would start it on first use anyway.
   */
  public synchronized void prestart() {
    if (useHelper && helper == null && !helperFailed) {
      try {
        helper = SpawnHelper.start(SpawnHelper.python(), killGrace);
      } catch (IOException e) {
        // out of descriptors for now: a later command tries again; anything else is for good
        helperFailed = !String.valueOf(e.getMessage()).contains("Too many open files");
      }
    }
  }

  /**
   * Ends the spawn helper, which stops the commands it still runs; a later {@link #run} starts a
   * new one. The end of the JVM does the same without this call.
   */
  public synchronized void close() {
    if (helper != null) {
      helper.close();
      helper = null;
    }
  }

  /** Which processes belong to which run, shared by the runs this runner serves. */
  ProcessScan scan() {
    return scan;
  }

  /** The running spawn helper's pid, if there is one. */
  synchronized Optional<Long> helperPid() {
    return Optional.ofNullable(helper).filter(SpawnHelper::alive).map(SpawnHelper::pid);
  }

  private synchronized SpawnHelper helper() throws InterruptedException {
    if (helper != null && !helper.alive()) {
      helper = null; // it died (killed from outside?): a new one serves the next commands
    }
    prestart();
    if (helper != null && !helper.awaitReady(HELPER_READY)) {
      helper.close(); // too old a Python, or too slow to start: the JVM spawns from now on
      helper = null;
      helperFailed = true;
    }
    return helper;
  }

  private ExecResult runByJvm(List<String> argv, Map<String, String> env, Path cwd, StepLog log)
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
      pumpThread.join(DRAIN.toMillis());
      if (pumpThread.isAlive()) {
        HelperCommand.leftBehind(process.pid(), log);
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
      Process p = JvmSpawn.start(pb);
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
  public void stopGroup(long pgid, Duration grace, BooleanSupplier ended) {
    stopGroup(sig -> signalGroup(pgid, sig), grace, ended);
  }

  /** {@link #stopGroup(long, Duration, BooleanSupplier)} with signals sent by {@code signal}. */
  static void stopGroup(Consumer<String> signal, Duration grace, BooleanSupplier ended) {
    boolean interrupted = Thread.interrupted();
    try {
      signal.accept("TERM");
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
        signal.accept("KILL");
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

  static void checkFolder(Path cwd, List<String> argv) {
    if (!Files.isDirectory(cwd)) {
      throw new UncheckedIOException(
          new IOException(
              "cannot run " + argv.get(0) + ": working folder " + cwd + " does not exist"));
    }
  }

  private static Process start(ProcessBuilder pb, List<String> argv) {
    checkFolder(pb.directory().toPath(), argv);
    try {
      return JvmSpawn.start(pb);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
    }
  }

  /** Where {@code program} is on PATH, resolved once so no start searches PATH for it. */
  private static Optional<Path> onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, program);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      // keep stopping; the caller restores the flag
    }
  }
}
