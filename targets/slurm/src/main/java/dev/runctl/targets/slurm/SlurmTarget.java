package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.targets.local.LocalMachine;
import dev.runctl.targets.local.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One run on a Slurm cluster, from its login node. The machine is the workdir on the cluster's
 * shared filesystem (kept between runs: the next sync only sends what changed); the run's batch
 * jobs are its only resources, and {@link #destroy} cancels them.
 */
final class SlurmTarget implements Target {
  private final SlurmSettings settings;
  private final TargetContext context;
  private final SlurmCommands slurm;
  private final ProcessRunner runner;
  private final Path workdir;
  private final BatchJobs jobs;
  private Map<String, String> cluster = Map.of();

  SlurmTarget(
      SlurmSettings settings, TargetContext context, SlurmCommands slurm, ProcessRunner runner) {
    this.settings = settings;
    this.context = context;
    this.slurm = slurm;
    this.runner = runner;
    this.workdir = workdir(settings, context.jobName());
    this.jobs = new BatchJobs(slurm, settings, workdir, context.facts(), context.runId());
  }

  static Path workdir(SlurmSettings settings, String job) {
    String w = settings.workdir().orElse("~/runctl/" + job);
    if (w.equals("~") || w.startsWith("~/")) {
      w = System.getProperty("user.home") + w.substring(1);
    }
    return Path.of(w).toAbsolutePath().normalize();
  }

  @Override
  public Machine provision(StepLog log) throws InterruptedException {
    cluster = new ClusterCheck(slurm, settings).check(log);
    try {
      Files.createDirectories(workdir);
    } catch (IOException e) {
      throw StepException.fatal(
          "cannot create the workdir " + workdir + ": " + e.getMessage(),
          "set the target's workdir to a writable folder on the cluster's shared filesystem");
    }
    log.line("workdir " + workdir + " (on the shared filesystem; kept between runs)");
    return machine();
  }

  @Override
  public Machine machine() {
    Path cache =
        workdir.getParent() == null
            ? workdir.resolve(".runctl-cache")
            : workdir.getParent().resolve(".runctl-cache");
    LocalMachine login =
        new LocalMachine(
            "slurm-" + settings.partition().orElse("default"),
            workdir,
            context.runDir().toAbsolutePath().resolve("procs"),
            cache,
            false,
            runner);
    Map<String, String> described = new LinkedHashMap<>();
    cluster.forEach((k, v) -> described.put("slurm_" + k, v));
    return new SlurmMachine(login, jobs, described);
  }

  @Override
  public void destroy(StepLog log) throws InterruptedException {
    jobs.cancelAll(log);
    log.line(
        "kept the workdir " + workdir + " on the shared filesystem (remove it by hand when done)");
  }

  @Override
  public List<String> liveResources() throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (String[] f : jobs.active()) {
      out.add(
          "slurm job "
              + f[0]
              + " "
              + f[2].toLowerCase()
              + (f[3].isBlank() ? "" : " on " + f[3])
              + " ("
              + f[1]
              + ")");
    }
    return out;
  }
}
