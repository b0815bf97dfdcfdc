package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.FileSlice;
import dev.runctl.engine.spi.Health;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.RemoteFile;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster as a machine, seen from its login node (this computer, or the one reached with ssh):
 * the workdir on the shared filesystem is filled, read and run in like a workspace of the local or
 * the ssh target (content-addressed sync, venvs cached by hash, short commands such as pip run on
 * the login node), and the training runs as a batch job ({@link BatchJobs}).
 */
final class SlurmMachine implements Machine {
  private final Machine login;
  private final ClusterFiles files;
  private final BatchJobs jobs;
  private final Map<String, String> cluster;

  SlurmMachine(Machine login, BatchJobs jobs, Map<String, String> cluster) {
    this.login = login;
    this.files = jobs.files();
    this.jobs = jobs;
    this.cluster = cluster;
  }

  @Override
  public String id() {
    return login.id();
  }

  @Override
  public String workdir() {
    return login.workdir();
  }

  @Override
  public String cacheDir() {
    return login.cacheDir();
  }

  @Override
  public Map<String, String> describe() {
    Map<String, String> out = new java.util.LinkedHashMap<>(login.describe());
    out.putAll(cluster);
    return out;
  }

  @Override
  public Health health() {
    try {
      return files.isDirectory(login.workdir()) ? Health.ALIVE : Health.GONE;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.INTERRUPTED;
    } catch (RuntimeException e) { // the login node does not answer
      return Health.INTERRUPTED;
    }
  }

  @Override
  public SyncResult sync(SyncRequest request) throws InterruptedException {
    return login.sync(request);
  }

  @Override
  public ExecResult exec(CommandSpec command, StepLog log) throws InterruptedException {
    Optional<String> held =
        jobs.settings().holdAllocation() ? jobs.allocation().id() : Optional.empty();
    if (held.isPresent()) { // on a node of the held allocation, from the same folder
      command =
          new CommandSpec(
              jobs.allocation().onANode(held.get(), command.argv()), command.env(), command.cwd());
    }
    return login.exec(command, log);
  }

  @Override
  public DetachedProcess start(DetachedSpec spec) throws InterruptedException {
    return jobs.start(spec);
  }

  @Override
  public Optional<DetachedProcess> attach(String handle) throws InterruptedException {
    return jobs.attach(handle);
  }

  @Override
  public Optional<DetachedProcess> attachByName(String name) throws InterruptedException {
    return jobs.attach("slurm:" + jobs.key(name));
  }

  @Override
  public List<RemoteFile> list(String path) throws InterruptedException {
    return login.list(path);
  }

  @Override
  public Optional<FileSlice> read(String path, long fromByte, long maxBytes)
      throws InterruptedException {
    return login.read(path, fromByte, maxBytes); // the workdir is on the shared filesystem
  }

  @Override
  public void delete(String path, StepLog log) throws InterruptedException {
    login.delete(path, log);
  }

  @Override
  public void fetch(String path, Path localDestination) throws InterruptedException {
    login.fetch(path, localDestination);
  }
}
