package dev.runctl.targets.local;

import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

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

  /**
   * The helper ended while {@code call}'s command ran (the kernel's OOM killer, a kill from
   * outside): nothing reports the command's end any more, so its process group is stopped here, and
   * the attempt ends as an interruption, which {@code retry.on}'s default retries.
   */
  private StepException helperGone(SpawnCall call, List<String> argv) {
    long pid = call.pid();
    String how = h.howItEnded();
    if (pid > 0) {
      runner.stopGroup(pid, Duration.ofSeconds(2), () -> !ProcTable.groupAlive(pid));
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
            + " `dmesg` for the OOM killer), give the machine more memory or make the step use less",
        null);
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
