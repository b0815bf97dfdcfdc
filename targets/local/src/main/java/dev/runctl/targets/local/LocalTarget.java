package dev.runctl.targets.local;

import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One run on this computer. Without a provision step the machine is the spec's workdir, in place;
 * {@link #provision} makes an isolated workspace {@code <run-dir>/workspace} (found again when it
 * exists, recorded in the run's facts) and from then on {@link #machine} answers with it.
 */
public final class LocalTarget implements Target {
  static final String WORKSPACE_FACT = "local.workspace";
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final TargetContext context;
  private final ProcessRunner runner;

  public LocalTarget(TargetContext context, ProcessRunner runner) {
    this.context = context;
    this.runner = runner;
  }

  @Override
  public Machine provision(StepLog log) {
    Path workspace = workspacePath();
    boolean recorded = context.facts().get(WORKSPACE_FACT).isPresent();
    boolean exists = Files.isDirectory(workspace);
    try {
      Files.createDirectories(workspace);
    } catch (IOException e) {
      throw StepException.fatal(
          "cannot create the workspace " + workspace + ": " + e.getMessage(),
          "check that the state folder is writable and the disk is not full");
    }
    if (!recorded) {
      context.facts().put(WORKSPACE_FACT, workspace.toString());
    }
    log.line(
        (recorded && exists ? "found the workspace again: " : "created the workspace ")
            + workspace);
    LocalMachine machine = workspaceMachine();
    try {
      for (String back : machine.restoreKeptFolders()) {
        log.line("put back " + back + ", kept aside by the teardown of a failed or stopped run");
      }
    } catch (UncheckedIOException e) {
      throw StepException.transientError(
          e.getMessage() + " (in " + workspace.resolveSibling("kept") + ")",
          "check free disk space and permissions of the run folder",
          e);
    }
    return machine;
  }

  @Override
  public Machine machine() {
    return context.facts().get(WORKSPACE_FACT).isPresent() ? workspaceMachine() : inPlaceMachine();
  }

  @Override
  public void destroy(StepLog log) throws InterruptedException {
    destroy(log, false);
  }

  /**
   * Keeps the checkpoints of the run's training processes under {@code <run-dir>/kept/}; {@link
   * #provision} puts them back into the next workspace before any step uses it, so that a resume
   * continues instead of starting over (a verify after a succeeded train finds them).
   */
  @Override
  public void destroyKeepingProgress(StepLog log) throws InterruptedException {
    destroy(log, true);
  }

  private void destroy(StepLog log, boolean keepProgress) throws InterruptedException {
    LocalMachine machine = (LocalMachine) machine();
    for (LocalDetachedProcess p : machine.runningProcesses()) {
      log.line("stopping process " + p.handle());
      p.terminate(STOP_GRACE);
    }
    RunProcesses.stop(leftovers(machine, List.of(), true), STOP_GRACE, log);
    if (machine.inPlace()) {
      log.line("nothing to remove: the steps ran in place in " + machine.workdir());
      return;
    }
    Path workspace = workspacePath();
    if (!Files.exists(workspace)) {
      log.line("the workspace " + workspace + " is already gone");
      return;
    }
    if (keepProgress) {
      for (String kept : machine.keepWatchedFolders()) {
        log.line(
            "kept "
                + kept
                + " aside for a resume (under "
                + workspace.resolveSibling("kept")
                + "): the next training continues from it");
      }
    }
    try {
      LocalFiles.deleteTree(workspace);
    } catch (IOException e) {
      throw StepException.transientError(
          "cannot remove the workspace " + workspace + ": " + e, "remove it by hand", e);
    }
    log.line("removed the workspace " + workspace);
  }

  /**
   * What of this run is alive on this computer: its detached processes that still run (a train that
   * outlived a killed runctl), and the workspace that provision made when no teardown removed it. A
   * run that ran in place has no workspace of its own: its workdir is the user's folder.
   */
  @Override
  public List<String> liveResources() {
    List<String> out = new ArrayList<>();
    LocalMachine machine = (LocalMachine) machine();
    Instant now = context.clock().now();
    List<LocalDetachedProcess> alive = machine.aliveProcesses();
    for (LocalDetachedProcess p : alive) {
      out.add(p.describe(now));
    }
    for (RunProcesses.Leftover l : leftovers(machine, alive, false)) {
      out.add(l.describe());
    }
    Path workspace = workspacePath();
    if (!machine.inPlace() && Files.isDirectory(workspace)) {
      out.add("workspace " + workspace + " not removed");
    }
    return out;
  }

  /**
   * The processes the run's steps left behind, but those of {@code running} (a training that still
   * runs, with its own workers) and the supervisors of detached processes.
   */
  private List<RunProcesses.Leftover> leftovers(
      LocalMachine machine, List<LocalDetachedProcess> running, boolean fresh) {
    Set<Long> sessions =
        running.stream().map(LocalDetachedProcess::pid).collect(Collectors.toSet());
    Set<Long> supervisors =
        machine.knownProcesses().stream()
            .map(LocalDetachedProcess::supervisorPid)
            .collect(Collectors.toSet());
    return new RunProcesses(context.runId(), procsDir(), runner.scan())
        .find(sessions, supervisors, fresh);
  }

  private Path workspacePath() {
    return context.runDir().toAbsolutePath().resolve("workspace");
  }

  private LocalMachine workspaceMachine() {
    return new LocalMachine(
        "local-" + context.runId(), workspacePath(), procsDir(), context.cacheDir(), false, runner);
  }

  private LocalMachine inPlaceMachine() {
    return new LocalMachine(
        "local-in-place", context.localWorkdir(), procsDir(), context.cacheDir(), true, runner);
  }

  private Path procsDir() {
    return context.runDir().toAbsolutePath().resolve("procs");
  }
}
