package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.StepException;
import dev.runctl.targets.remote.RemoteScripts;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Detached processes on the host, each under {@code remote/wrapper.sh}, which outlives runctl and
 * the connection (setsid), and records pid, start time, heartbeat and exit code. The environment
 * reaches the host inside the script on ssh's stdin, lands in a mode-600 file, and the wrapper
 * deletes it once read: no value shows on a command line.
 */
final class SshProcesses {
  static final int HEARTBEAT_SECONDS = 2;
  private final SshClient ssh;
  private final HostPaths paths;

  SshProcesses(SshClient ssh, HostPaths paths) {
    this.ssh = ssh;
    this.paths = paths;
  }

  HostPaths paths() {
    return paths;
  }

  SshClient ssh() {
    return ssh;
  }

  SshDetachedProcess start(DetachedSpec spec) throws InterruptedException {
    String name = HostPaths.safeName(spec.name());
    CommandSpec cmd = spec.command();
    String watch = spec.watchPath().map(paths::resolve).orElse("");
    Map<String, String> params = new LinkedHashMap<>();
    params.put("RUNCTL_CWD", paths.resolve(cmd.cwd().orElse("")));
    params.put("RUNCTL_HEARTBEAT", Integer.toString(HEARTBEAT_SECONDS));
    params.put("WATCH", watch);
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("D", paths.process(name));
    vars.put("CWD", params.get("RUNCTL_CWD"));
    vars.put("WATCH", watch);
    vars.put("KEPT", paths.kept(name));
    vars.put("ENVTEXT", Quote.assignments(cmd.env(), false));
    vars.put("CMD", "exec " + Quote.words(cmd.argv()));
    vars.put("PARAMS", Quote.assignments(params, false));
    vars.put("WRAPPER", Scripts.body("wrapper.sh"));
    SshClient.Result r = ssh.script(Scripts.of(vars, "start.sh"));
    String out = r.out();
    if (Scripts.marker(out, "alive") != null) {
      throw StepException.fatal(
          "A process named '" + name + "' of this run is already running on " + host(),
          "runctl resume reattaches to it; runctl cancel stops it");
    }
    String pid = Scripts.marker(out, "started");
    if (pid == null || pid.isBlank()) {
      throw StepException.transientError(
          "Starting '"
              + name
              + "' on "
              + host()
              + " gave no confirmation: "
              + tail(out + r.stderr()),
          "check that bash and setsid exist on the host (runctl plan --check)",
          null);
    }
    return new SshDetachedProcess(this, name, watch);
  }

  /** The process of that name, when its folder exists on the host. */
  Optional<SshDetachedProcess> attach(String name) throws InterruptedException {
    String safe = HostPaths.safeName(name);
    Map<String, String> vars = Map.of("D", paths.process(safe));
    SshClient.Result r =
        ssh.script(
            Quote.assignments(vars, false)
                + "if [ -f \"$D/started\" ]; then WATCH=; . \"$D/params\"; echo \"@@watch $WATCH\";"
                + " fi\n");
    String watch = Scripts.marker(r.out(), "watch");
    return watch == null
        ? Optional.empty()
        : Optional.of(new SshDetachedProcess(this, safe, watch.trim()));
  }

  String handle(String name) {
    return "ssh:" + paths.runId() + ":" + name;
  }

  SshClient.Result poll(String name, String watch, long offset, long max)
      throws InterruptedException {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("D", paths.process(name));
    vars.put("OFF", Long.toString(offset));
    vars.put("MAX", Long.toString(max));
    vars.put("WATCH", watch);
    return ssh.script(Scripts.of(vars, "poll.sh"));
  }

  void terminate(String name, Duration grace) throws InterruptedException {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("D", paths.process(name));
    vars.put("GRACE", Long.toString(Math.max(1, grace.getSeconds())));
    ssh.script(Quote.assignments(vars, false) + RemoteScripts.terminate());
  }

  private String host() {
    return ssh.config().host();
  }

  static String tail(String s) {
    String t = s.strip();
    return t.length() <= 600 ? t : "..." + t.substring(t.length() - 600);
  }
}
