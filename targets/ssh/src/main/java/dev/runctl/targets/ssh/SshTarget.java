package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One run on a machine reached with ssh. Provision connects and looks at what the host has; it
 * never creates or destroys a machine. Teardown stops the run's processes there, keeps the
 * checkpoints aside when the run failed, and removes the workdir when runctl made it.
 */
final class SshTarget implements Target {
  static final String HOME_FACT = "ssh.home";
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final SshConfig config;
  private final TargetContext ctx;
  private final SshClient ssh;
  private HostFacts probed;

  SshTarget(SshConfig config, TargetContext ctx) {
    this.config = config;
    this.ctx = ctx;
    this.ssh = new SshClient(config, ctx.warnings());
  }

  @Override
  public Machine provision(StepLog log) throws InterruptedException {
    log.line("connecting to " + config.host() + " with OpenSSH");
    HostFacts facts = probe();
    HostPaths paths = paths(facts.home());
    log.line(
        "host "
            + config.host()
            + ": "
            + facts.os()
            + ", "
            + config.python()
            + " "
            + facts.python().orElse("missing")
            + ", "
            + facts.freeText()
            + " free in "
            + facts.diskPath()
            + ", GPUs: "
            + (facts.gpus().isEmpty() ? "none seen" : String.join("; ", facts.gpus())));
    if (!facts.lacks().isEmpty()) {
      throw StepException.fatal(
          config.host() + " lacks " + String.join(" and ", facts.lacks()) + ", which runctl uses",
          "install them there (Debian: apt-get install util-linux tar)");
    }
    if (facts.python().isEmpty()) {
      ctx.warnings()
          .accept(
              config.host() + " has no " + config.python() + ": the deps and train steps need it");
    }
    if (ctx.facts().get(HOME_FACT).isEmpty()) {
      ctx.facts().put(HOME_FACT, facts.home());
    }
    log.line("workdir " + config.host() + ":" + paths.workdir());
    return new SshMachine(ssh, paths, facts.outputs());
  }

  @Override
  public Machine machine() throws InterruptedException {
    Optional<String> home = ctx.facts().get(HOME_FACT);
    String h;
    if (home.isPresent()) {
      h = home.get();
    } else {
      h = probe().home(); // steps without a provision step: the run is on the host from now on
      ctx.facts().put(HOME_FACT, h);
    }
    return new SshMachine(ssh, paths(h), probed == null ? Map.of() : probed.outputs());
  }

  @Override
  public void destroy(StepLog log) throws InterruptedException {
    destroy(log, false);
  }

  @Override
  public void destroyKeepingProgress(StepLog log) throws InterruptedException {
    destroy(log, true);
  }

  private void destroy(StepLog log, boolean keep) throws InterruptedException {
    if (ctx.facts().get(HOME_FACT).isEmpty()) {
      log.line("nothing of this run is on " + config.host() + ": no step reached it");
      return;
    }
    SshMachine machine = (SshMachine) machine();
    HostPaths paths = paths(ctx.facts().get(HOME_FACT).get());
    for (Live.Proc p : Live.look(ssh, paths).processes()) {
      log.line("stopping process " + p.name() + " (pid " + p.pid() + ") on " + config.host());
      machine.processes().terminate(p.name(), STOP_GRACE);
    }
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("R", paths.run());
    vars.put("W", paths.workdir());
    vars.put("M", paths.syncState());
    vars.put("OWNED", paths.owned() ? "yes" : "");
    vars.put("KEEP", keep ? "yes" : "");
    String out = ssh.script(Scripts.of(vars, "cleanup.sh")).out();
    for (String m : Scripts.markers(out)) {
      if (m.startsWith("@@kept ")) {
        String[] f = m.substring(7).split(" ", 2);
        log.line(
            "kept "
                + f[1]
                + " aside on the host for a resume: the next training continues from it");
      } else if (m.startsWith("@@stopped-exec ")) {
        log.line("stopped a command left running (session " + m.substring(15) + ")");
      }
    }
    if (out.contains("@@removed-workdir")) {
      log.line("removed the workdir " + config.host() + ":" + paths.workdir());
    } else if (!paths.owned()) {
      log.line("left the workdir " + config.host() + ":" + paths.workdir() + " (set by workdir:)");
    }
    if (!out.contains("@@done")) {
      throw StepException.transientError(
          "cleaning up on " + config.host() + " gave no confirmation: " + SshProcesses.tail(out),
          "runctl destroy tries again",
          null);
    }
  }

  @Override
  public List<String> liveResources() throws InterruptedException {
    Optional<String> home = ctx.facts().get(HOME_FACT);
    if (home.isEmpty()) {
      return List.of(); // never connected: nothing there
    }
    HostPaths paths = paths(home.get());
    Live live = Live.look(ssh, paths);
    List<String> out = new ArrayList<>();
    for (Live.Proc p : live.processes()) {
      out.add(
          p.name()
              + " running on "
              + config.host()
              + " (pid "
              + p.pid()
              + ", heartbeat "
              + p.heartbeatAge()
              + "s ago)");
    }
    if (live.workdir()) {
      out.add("workdir " + config.host() + ":" + paths.workdir() + " not removed");
    }
    return out;
  }

  @Override
  public void close() {
    ssh.close();
  }

  HostFacts probe() throws InterruptedException {
    probed = HostFacts.probe(ssh, ctx.jobName());
    return probed;
  }

  private HostPaths paths(String home) {
    return HostPaths.of(home, config, ctx.jobName(), ctx.runId());
  }
}
