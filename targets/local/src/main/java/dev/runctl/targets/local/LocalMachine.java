package dev.runctl.targets.local;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.FileSlice;
import dev.runctl.engine.spi.Health;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.RemoteFile;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * This computer as a machine: either in place (the workdir is the spec's own folder, and sync only
 * checks the required paths), or an isolated workspace under the run folder that sync fills.
 * Detached processes keep their state under {@code <run-dir>/procs}.
 */
public final class LocalMachine implements Machine {
  private final String id;
  private final Path workdir;
  private final Path cacheDir;
  private final boolean inPlace;
  private final ProcessRunner runner;
  private final DetachedLookup processes;
  private final KeptCheckpoints kept;
  private final SupervisorStart starter;

  public LocalMachine(
      String id,
      Path workdir,
      Path procsDir,
      Path cacheDir,
      boolean inPlace,
      ProcessRunner runner) {
    this.id = id;
    this.workdir = workdir.toAbsolutePath().normalize();
    this.cacheDir = cacheDir.toAbsolutePath().normalize();
    this.inPlace = inPlace;
    this.runner = runner;
    Path procs = procsDir.toAbsolutePath();
    this.processes = new DetachedLookup(procs, this.workdir, runner);
    this.kept = new KeptCheckpoints(procs, this.workdir);
    this.starter = new SupervisorStart(procs, this.workdir, runner, processes, kept);
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String workdir() {
    return workdir.toString();
  }

  @Override
  public String cacheDir() {
    return cacheDir.toString();
  }

  public boolean inPlace() {
    return inPlace;
  }

  @Override
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("machine_id", id);
    out.put("host", "localhost");
    out.put("workdir", workdir.toString());
    return out;
  }

  @Override
  public Health health() {
    return Files.isDirectory(workdir) ? Health.ALIVE : Health.GONE;
  }

  @Override
  public SyncResult sync(SyncRequest request) throws InterruptedException {
    if (inPlace) {
      List<String> missing =
          request.mustExist().stream().filter(p -> !Files.exists(workdir.resolve(p))).toList();
      return new SyncResult(0, 0, 0, missing);
    }
    return new WorkspaceSync(workdir).sync(request);
  }

  @Override
  public ExecResult exec(CommandSpec command, StepLog log) throws InterruptedException {
    Path cwd = command.cwd().map(workdir::resolve).orElse(workdir);
    try {
      return runner.run(command.argv(), command.env(), cwd, log);
    } catch (UncheckedIOException e) {
      throw new StepException(
          dev.runctl.engine.spi.ErrorClass.FAILURE,
          false,
          e.getMessage(),
          "check that the program is installed and on PATH, and that the folder exists",
          e);
    }
  }

  @Override
  public DetachedProcess start(DetachedSpec spec) throws InterruptedException {
    return starter.start(spec);
  }

  @Override
  public Optional<DetachedProcess> attach(String handle) {
    return processes.attach(handle);
  }

  @Override
  public Optional<DetachedProcess> attachByName(String name) throws InterruptedException {
    return processes.attachByName(name);
  }

  /** Moves the detached processes' watched folders aside before the workspace goes. */
  List<String> keepWatchedFolders() {
    return kept.keepWatched();
  }

  /** Puts back what {@link #keepWatchedFolders} moved aside; returns the folders put back. */
  List<String> restoreKeptFolders() {
    return kept.restoreAll();
  }

  /** Every detached process this machine's state folder knows, running or ended. */
  List<LocalDetachedProcess> knownProcesses() {
    return processes.known();
  }

  /** Detached processes of this machine that are still running. */
  public List<LocalDetachedProcess> runningProcesses() throws InterruptedException {
    return processes.running();
  }

  /** Like {@link #runningProcesses}, for a look from outside the run: never fails. */
  List<LocalDetachedProcess> aliveProcesses() {
    return processes.alive();
  }

  @Override
  public List<RemoteFile> list(String path) {
    try {
      return LocalFiles.list(workdir, resolve(path));
    } catch (IOException e) {
      throw StepException.transientError("cannot list " + resolve(path) + ": " + e, null, e);
    }
  }

  @Override
  public Optional<FileSlice> read(String path, long fromByte, long maxBytes) {
    try {
      return LocalFiles.read(resolve(path), fromByte, maxBytes);
    } catch (IOException e) {
      throw StepException.transientError("cannot read " + resolve(path) + ": " + e, null, e);
    }
  }

  /** Removes the file in this JVM: no process. */
  @Override
  public void delete(String path, StepLog log) {
    try {
      Files.deleteIfExists(resolve(path));
    } catch (IOException e) {
      log.line("could not remove " + resolve(path) + ": " + e.getMessage());
    }
  }

  @Override
  public void fetch(String path, Path localDestination) {
    Path source = resolve(path);
    if (!Files.exists(source)) {
      throw StepException.failure(
          path + " does not exist on " + id + " (looked in " + workdir + ")",
          "check the path; it is relative to the synced workdir");
    }
    try {
      LocalFiles.copyInto(source, localDestination);
    } catch (IOException e) {
      throw StepException.transientError(
          "cannot copy " + source + " to " + localDestination + ": " + e, null, e);
    }
  }

  private Path resolve(String path) {
    String p =
        path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    return p.isEmpty() || p.equals(".") ? workdir : workdir.resolve(p).normalize();
  }
}
