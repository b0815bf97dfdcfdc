package dev.runctl.targets.slurm;

import dev.runctl.targets.ssh.Quote;
import dev.runctl.targets.ssh.SshLogin;
import java.util.List;

/**
 * Slurm's client commands on the login node, over the run's ssh connection: each one a line of a
 * script on ssh's stdin, every argument quoted as one word ({@link Quote}), stdin from /dev/null.
 * They run in the login node's own environment, as they would for the user there (so sbatch passes
 * the job that environment, and nothing of runctl's).
 */
final class SshSlurmCommands extends SlurmCommands {
  private final SshLogin ssh;

  SshSlurmCommands(SshLogin ssh) {
    this.ssh = ssh;
  }

  @Override
  Result run(List<String> argv, boolean scrubbed) throws InterruptedException {
    SshLogin.Reply r =
        ssh.script(
            "command -v "
                + Quote.quote(argv.get(0))
                + " >/dev/null || { echo \"runctl: no "
                + argv.get(0).replaceAll("[^a-z]", "")
                + " on $(hostname)\" >&2; exit 127; }\n"
                + Quote.words(argv)
                + " </dev/null\n");
    if (r.exitCode() == 127 && r.stderr().contains("runctl: no ")) {
      throw dev.runctl.engine.spi.StepException.fatal(
          "cannot run "
              + argv.get(0)
              + " on the login node "
              + ssh.config().host()
              + ": "
              + r.stderr().strip(),
          "login: must name the cluster's login node, where Slurm's client commands are on PATH"
              + " for a non-interactive ssh session");
    }
    return new Result(r.exitCode(), r.out(), r.stderr());
  }
}
