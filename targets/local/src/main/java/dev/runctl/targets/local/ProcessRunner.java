package dev.runctl.targets.local;

import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.StepException;
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
import java.util.OptionalInt;
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
    return h != null ? runByHelper(h, argv, env, cwd, log) : runByJvm(argv, env, cwd, log);
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
        helperFailed = true;
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

  private ExecResult runByHelper(
      SpawnHelper h, List<String> argv, Map<String, String> env, Path cwd, StepLog log)
      throws InterruptedException {
    checkFolder(cwd, argv);
    SpawnCall call = h.start(argv, env, cwd, log);
    try {
      OptionalInt code = call.awaitExit();
      if (code.isEmpty()) {
        throw helperGone(h, call, argv);
      }
      if (!call.awaitClosed(DRAIN)) {
        leftBehind(call.pid(), log);
      }
      return new ExecResult(code.getAsInt(), call.tail());
    } catch (InterruptedException e) {
      stopGroup(sig -> h.signal(call, sig), killGrace, call::exited);
      throw e;
    } finally {
      h.forget(call);
    }
  }

  /**
   * The helper ended while {@code call}'s command ran (the kernel's OOM killer, a kill from
   * outside): nothing reports the command's end any more, so its process group is stopped here, and
   * the attempt ends as an interruption, which {@code retry.on}'s default retries.
   */
  private StepException helperGone(SpawnHelper h, SpawnCall call, List<String> argv) {
    long pid = call.pid();
    String how = h.howItEnded();
    if (pid > 0) {
      stopGroup(pid, Duration.ofSeconds(2), () -> !ProcTable.groupAlive(pid));
    }
    return new StepException(
        ErrorClass.INTERRUPTION,
        true,
        "runctl's process-spawn helper (pid "
            + h.pid()
            + ") "
            + how
            + " while "
            + argv.get(0)
            + (pid > 0
                ? " (pid " + pid + ") ran; runctl stopped the command's process group"
                : " ran"),
        "the attempt is retried under the default retry.on; if the system ran out of memory (see"
            + " `dmesg` for the OOM killer), give the machine more memory or lower the step's use",
        null);
  }

  /**
   * The command exited but its output stays open: something it started in the background holds the
   * pipe. The step does not wait for it; the run's teardown stops it (see RunProcesses).
   */
  private static void leftBehind(long pid, StepLog log) {
    List<String> left =
        ProcTable.all().stream()
            .filter(p -> pid > 0 && p.sid() == pid)
            .map(p -> p.pid() + " (" + ProcTable.commandLine(p.pid()) + ")")
            .toList();
    log.line(
        "the command exited, but processes it started still hold its output open"
            + (left.isEmpty() ? "" : ": " + String.join(", ", left))
            + "; they are left running, and the run's teardown stops them");
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
        leftBehind(process.pid(), log);
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
  public void stopGroup(long pgid, Duration grace, BooleanSupplier ended) {
    stopGroup(sig -> signalGroup(pgid, sig), grace, ended);
  }

  /** {@link #stopGroup(long, Duration, BooleanSupplier)} with signals sent by {@code signal}. */
  private static void stopGroup(Consumer<String> signal, Duration grace, BooleanSupplier ended) {
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

  private static void checkFolder(Path cwd, List<String> argv) {
    if (!Files.isDirectory(cwd)) {
      throw new UncheckedIOException(
          new IOException(
              "cannot run " + argv.get(0) + ": working folder " + cwd + " does not exist"));
    }
  }

  private static Process start(ProcessBuilder pb, List<String> argv) {
    checkFolder(pb.directory().toPath(), argv);
    try {
      return pb.start();
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
