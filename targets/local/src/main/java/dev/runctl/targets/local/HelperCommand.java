package dev.runctl.targets.local;

import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One attached command run by the {@link SpawnHelper} for a {@link ProcessRunner}: waits for its
 * exit and at most {@link ProcessRunner#DRAIN} more for the end of its output, stops its group on
 * an interrupt, and turns the helper's death under it into an interruption.
 */
final class HelperCommand {
  private final SpawnHelper h;
  private final ProcessRunner runner;

  HelperCommand(SpawnHelper h, ProcessRunner runner) {
    this.h = h;
    this.runner = runner;
  }

  ExecResult run(List<String> argv, Map<String, String> env, Path cwd, StepLog log)
      throws InterruptedException {
    SpawnCall call = h.start(argv, env, cwd, log);
    try {
      OptionalInt code = call.awaitExit();
      if (code.isEmpty()) {
        throw helperGone(call, argv);
      }
      if (!call.awaitClosed(ProcessRunner.DRAIN)) {
        leftBehind(call.pid(), log);
      }
      return new ExecResult(code.getAsInt(), call.tail());
    } catch (InterruptedException e) {
      ProcessRunner.stopGroup(sig -> h.signal(call, sig), runner.killGrace(), call::exited);
      throw e;
    } finally {
      h.forget(call);
    }
  }

  /** How long a command whose pid was never reported may take to show in /proc with its token. */
  static final Duration SETTLE = Duration.ofSeconds(1);

  /**
   * The helper ended while {@code call}'s command ran (the kernel's OOM killer, a kill from
   * outside): nothing reports the command's end any more, so its process group is stopped here, and
   * the attempt ends as an interruption, which {@code retry.on}'s default retries.
   */
  private StepException helperGone(SpawnCall call, List<String> argv) {
    String how = h.howItEnded();
    Set<Long> groups = stopGroups(call);
    return new StepException(
        ErrorClass.INTERRUPTION,
        true,
        "runctl's process-spawn helper (pid "
            + h.pid()
            + ") "
            + how
            + " while "
            + argv.get(0)
            + (groups.isEmpty()
                ? " ran"
                : " (pid "
                    + groups.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + ") ran; runctl stopped the command's process group"),
        "the attempt is retried under the default retry.on; if the system ran out of memory (see"
            + " `dmesg` for the OOM killer), give the machine more memory or make the step use less",
        null);
  }

  /**
   * Stops the process groups of {@code call}'s command: the one of the pid the helper reported, and
   * those of every process carrying the call's token ({@link SpawnHelper#CALL_ENV}), which finds
   * the command when the helper died before it reported the pid. A command never reported is looked
   * for up to {@link #SETTLE}, as one spawned at the helper's last instant may not have run yet.
   * Answers the groups stopped.
   */
  private Set<Long> stopGroups(SpawnCall call) {
    Set<Long> stopped = new LinkedHashSet<>();
    long deadline = System.nanoTime() + SETTLE.toNanos();
    while (true) {
      Set<Long> groups = new LinkedHashSet<>();
      if (call.pid() > 0) {
        groups.add(call.pid());
      }
      List<ProcTable.Proc> carrying = ProcTable.carrying(SpawnHelper.CALL_ENV, call.token());
      carrying.forEach(p -> groups.add(p.pgid()));
      for (long g : groups) {
        if (stopped.add(g)) {
          runner.stopGroup(g, Duration.ofSeconds(2), () -> !ProcTable.groupAlive(g));
        }
      }
      if ((!stopped.isEmpty() && carrying.isEmpty()) || System.nanoTime() > deadline) {
        return stopped;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return stopped;
      }
    }
  }

  /**
   * The command exited but its output stays open: something it started in the background holds the
   * pipe. The step does not wait for it; the run's teardown stops it (see RunProcesses).
   */
  static void leftBehind(long pid, StepLog log) {
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
}
