package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.TargetCheck;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code runctl plan --check} for ssh: the host answers with the user's ssh set-up, Python is
 * there, the workdir's disk has room, and which GPUs {@code nvidia-smi} sees. Reads only.
 */
final class SshChecks {
  /** Below this much free space in the workdir's file system, the disk check fails. */
  static final long MIN_FREE_KB = 1024 * 1024;

  private SshChecks() {}

  static List<TargetCheck> run(SshConfig config, String job) throws InterruptedException {
    List<TargetCheck> out = new ArrayList<>();
    HostFacts facts;
    try (SshClient ssh = new SshClient(config, notice -> {})) {
      facts = HostFacts.probe(ssh, job);
    } catch (StepException e) {
      out.add(TargetCheck.failed("reachable", e.getMessage(), e.hint().orElse("see the message")));
      return out;
    }
    out.add(TargetCheck.ok("reachable", config.host() + " answers: " + facts.os()));
    out.add(
        facts
            .python()
            .map(v -> TargetCheck.ok("python", config.python() + " " + v))
            .orElse(
                TargetCheck.failed(
                    "python",
                    "no " + config.python() + " on " + config.host(),
                    "install Python 3 there (Debian: apt-get install python3 python3-venv), or"
                        + " name the interpreter with python: in the target")));
    String where = facts.freeText() + " free in " + facts.diskPath();
    out.add(
        facts.freeKb() >= MIN_FREE_KB
            ? TargetCheck.ok("disk", where)
            : TargetCheck.failed(
                "disk",
                where,
                "free some space there, or set workdir: to a folder on a larger disk"));
    out.add(
        TargetCheck.ok(
            "gpus",
            facts.gpus().isEmpty()
                ? "none seen (no nvidia-smi, or it lists none): training runs on the CPU"
                : facts.gpus().size() + ": " + String.join("; ", facts.gpus())));
    out.add(
        facts.lacks().isEmpty()
            ? TargetCheck.ok("tools", "bash, setsid and tar are there")
            : TargetCheck.failed(
                "tools",
                "missing: " + String.join(", ", facts.lacks()),
                "install them (Debian: apt-get install util-linux tar)"));
    return out;
  }
}
