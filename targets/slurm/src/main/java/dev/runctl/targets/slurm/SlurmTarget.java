package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.targets.local.LocalMachine;
import dev.runctl.targets.local.ProcessRunner;
import dev.runctl.targets.ssh.SshLogin;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run on a Slurm cluster, from its login node: this machine, or the one {@code login: {ssh:}}
 * names, reached with the ssh target's transport. The machine is the workdir on the cluster's
 * shared filesystem (kept between runs: the next sync only sends what changed); the run's batch
 * jobs are its only resources, and {@link #destroy} cancels them.
 */
final class SlurmTarget implements Target {
  private final SlurmSettings settings;
  private final TargetContext context;
  private final SlurmCommands slurm;
  private final ClusterFiles files;
  private final Optional<SshLogin> ssh;
  private final ProcessRunner runner;
  private String workdir;
  private BatchJobs jobs;
  private Map<String, String> cluster = Map.of();

  SlurmTarget(
      SlurmSettings settings,
      TargetContext context,
      SlurmCommands slurm,
      ClusterFiles files,
      Optional<SshLogin> ssh,
      ProcessRunner runner) {
    this.settings = settings;
    this.context = context;
    this.slurm = slurm;
    this.files = files;
    this.ssh = ssh;
    this.runner = runner;
  }

  /** The target on this machine, or on the login node of {@code login:}. */
  static SlurmTarget open(SlurmSettings settings, TargetContext context) {
    if (settings.login().isEmpty()) {
      return new SlurmTarget(
          settings,
          context,
          new SlurmCommands(),
          new HereFiles(),
          Optional.empty(),
          ProcessRunner.system());
    }
    SshLogin ssh = new SshLogin(settings.login().get(), context.warnings());
    return new SlurmTarget(
        settings,
        context,
        new SshSlurmCommands(ssh),
        new SshFiles(ssh),
        Optional.of(ssh),
        ProcessRunner.system());
  }

  /** The workdir, {@code ~/} resolved on the machine that holds it. */
  static String workdir(SlurmSettings settings, String job, String home) {
    String w = settings.workdir().orElse("~/runctl/" + job);
    if (w.equals("~") || w.startsWith("~/")) {
      w = home + w.substring(1);
    } else if (!w.startsWith("/")) {
      w = home + "/" + w;
    }
    return Path.of(w).normalize().toString();
  }

  private synchronized String workdir() throws InterruptedException {
    if (workdir == null) {
      workdir = workdir(settings, context.jobName(), files.home());
    }
    return workdir;
  }

  private synchronized BatchJobs jobs() throws InterruptedException {
    if (jobs == null) {
      jobs = new BatchJobs(slurm, files, settings, workdir(), context.facts(), context.runId());
    }
    return jobs;
  }

  @Override
  public Machine provision(StepLog log) throws InterruptedException {
    ssh.ifPresent(
        s -> log.line("Slurm commands and the workdir on " + s.config().host() + " (ssh)"));
    cluster = new ClusterCheck(slurm, settings).check(log);
    if (!files.mkdirs(workdir())) {
      throw StepException.fatal(
          "cannot create the workdir " + where() + workdir(),
          "set the target's workdir to a writable folder on the cluster's shared filesystem");
    }
    log.line("workdir " + where() + workdir() + " (on the shared filesystem; kept between runs)");
    if (settings.holdAllocation()) {
      Optional<String> limit =
          context.maxDuration().map(d -> Long.toString(Math.max(1, (d.toSeconds() + 59) / 60)));
      jobs().allocation().take(log, limit);
    }
    return machine();
  }

  private String where() {
    return ssh.map(s -> s.config().host() + ":").orElse("");
  }

  @Override
  public Machine machine() throws InterruptedException {
    Machine login;
    if (ssh.isPresent()) {
      login = ssh.get().machine(workdir(), context.runId());
    } else {
      Path w = Path.of(workdir());
      Path cache =
          w.getParent() == null
              ? w.resolve(".runctl-cache")
              : w.getParent().resolve(".runctl-cache");
      login =
          new LocalMachine(
              "slurm-" + settings.partition().orElse("default"),
              w,
              context.runDir().toAbsolutePath().resolve("procs"),
              cache,
              false,
              runner);
    }
    Map<String, String> described = new LinkedHashMap<>();
    cluster.forEach((k, v) -> described.put("slurm_" + k, v));
    return new SlurmMachine(login, jobs(), described);
  }

  @Override
  public void destroy(StepLog log) throws InterruptedException {
    jobs().cancelAll(log);
    if (ssh.isPresent()) {
      ssh.get().forgetRun(context.runId());
    }
    log.line(
        "kept the workdir "
            + where()
            + workdir()
            + " on the shared filesystem (remove it by hand when done)");
  }

  @Override
  public List<String> liveResources() throws InterruptedException {
    List<String> out = new ArrayList<>();
    for (String[] f : jobs().queue().active()) {
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

  @Override
  public void close() {
    ssh.ifPresent(SshLogin::close);
  }
}
