package dev.runctl.targets.aws;

import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the guard on an instance ({@code remote/guard.sh}): without any runctl alive, it ends the
 * instance when {@code budget.max_duration} since launch has passed, or when every process of the
 * run has ended and nobody looked for {@code idle_timeout}, after saving checkpoints and logs to
 * the bucket. Started once per instance; a second start finds it alive.
 */
final class Guard {
  /** How often the guard looks. */
  static final int EVERY_SECONDS = 5;

  private Guard() {}

  /** The time after max_duration left for runctl's own teardown: a tenth, 10 s to 10 min. */
  static Duration grace(Duration maxDuration) {
    Duration tenth = maxDuration.dividedBy(10);
    if (tenth.compareTo(Duration.ofSeconds(10)) < 0) {
      return Duration.ofSeconds(10);
    }
    return tenth.compareTo(Duration.ofMinutes(10)) > 0 ? Duration.ofMinutes(10) : tenth;
  }

  /**
   * Starts the guard; without a {@code home} known yet, the same command looks at the instance
   * first ({@link Readiness#PROBE}): one SSM round trip between the boot and the pull, not two.
   * Returns HOME on the instance.
   */
  static String start(
      RemoteShell shell,
      Optional<String> home,
      String runId,
      String bucket,
      Instant launched,
      Optional<Duration> maxDuration,
      Duration idleTimeout,
      StepLog log)
      throws InterruptedException {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("BUCKET", bucket);
    params.put("PREFIX", RemotePaths.runPrefix(runId));
    params.put("LAUNCHED", Long.toString(launched.getEpochSecond()));
    params.put("MAX", Long.toString(maxDuration.map(Duration::getSeconds).orElse(0L)));
    params.put(
        "GRACE", Long.toString(maxDuration.map(Guard::grace).orElse(Duration.ZERO).getSeconds()));
    params.put("IDLE", Long.toString(idleTimeout.getSeconds()));
    params.put("EVERY", Integer.toString(EVERY_SECONDS));
    params.put("INSTANCE", shell.instanceId());
    // the run's paths below HOME ($H), which the probe may read in this same command
    RemotePaths below = new RemotePaths("", runId);
    Map<String, String> vars = new LinkedHashMap<>();
    home.ifPresent(h -> vars.put("H", h));
    vars.put("G", below.guard());
    vars.put("PROCS", below.procs());
    vars.put("SEEN", below.seen());
    String body =
        (home.isPresent() ? "" : Readiness.PROBE + "H=\"${HOME:-/root}\"\n")
            + "G=\"$H$G\"\n"
            + "if [ -f \"$G/pid\" ] && kill -0 \"$(cat \"$G/pid\")\" 2>/dev/null; then echo @@alive;"
            + " exit 0; fi\n"
            + "mkdir -p \"$G\" && chmod 700 \"$G\" || exit 90\n"
            + "cat > \"$G/params\" <<'RUNCTL_PARAMS_EOF'\n$PARAMS_TEXT\nRUNCTL_PARAMS_EOF\n"
            + "printf 'PROCS=%q\\nSEEN=%q\\n' \"$H$PROCS\" \"$H$SEEN\""
            + " >> \"$G/params\"\n"
            + "cat > \"$G/guard.sh\" <<'RUNCTL_GUARD_EOF'\n@GUARD@\nRUNCTL_GUARD_EOF\n"
            + "setsid nohup bash \"$G/guard.sh\" \"$G\" > /dev/null 2>&1 < /dev/null &\n"
            + "echo @@started\n";
    body =
        body.replace("$PARAMS_TEXT", Shell.assignments(params, false).strip())
            .replace(
                "@GUARD@", (RemoteShell.body("aws-cli.sh") + RemoteShell.body("guard.sh")).strip());
    SsmRunner.Result r =
        shell.run(
            home.isPresent() ? "start the guard" : "check the instance and start the guard",
            RemoteShell.script(vars, body),
            Duration.ofMinutes(5));
    String found =
        home.isPresent() ? home.get() : Readiness.probed(r.stdout(), shell.instanceId(), log);
    if (r.stdout().contains("@@started")) {
      log.line(
          "the guard on "
              + shell.instanceId()
              + " ends it when nobody looks for "
              + Readiness.human(idleTimeout)
              + " after its processes end"
              + maxDuration
                  .map(
                      m ->
                          ", and "
                              + Readiness.human(m.plus(grace(m)))
                              + " after launch whatever runs (budget.max_duration and a grace)")
                  .orElse(""));
    } else if (!r.stdout().contains("@@alive")) {
      throw StepException.transientError(
          "Starting the guard on " + shell.instanceId() + " gave no confirmation", null, null);
    }
    return found;
  }
}
