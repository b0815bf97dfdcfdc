package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.Machine;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The ssh transport for a target that works through a machine reached with ssh rather than on it
 * (the slurm target's login node): the run's one master connection, scripts sent on stdin to {@code
 * bash -s} (values quoted with {@link Quote}), and a workdir there as a {@link Machine} (sync,
 * attached commands, files) exactly as the ssh target has it. Makes no connection until asked.
 */
public final class SshLogin implements AutoCloseable {
  private final SshClient ssh;
  private String home;

  public SshLogin(SshConfig config, Consumer<String> notices) {
    this.ssh = new SshClient(config, notices);
  }

  /** How a script ended on the host. */
  public record Reply(int exitCode, byte[] stdout, String stderr) {
    public String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  public SshConfig config() {
    return ssh.config();
  }

  /**
   * Runs {@code script} with bash on the host, the script sent on stdin: nothing of it shows in the
   * host's process list. Connection trouble throws a {@link dev.runctl.engine.spi.StepException}
   * that says what to fix.
   */
  public Reply script(String script) throws InterruptedException {
    SshClient.Result r = ssh.script(script);
    return new Reply(r.exitCode(), r.stdout(), r.stderr());
  }

  /** The home folder on the host (asked once). */
  public synchronized String home() throws InterruptedException {
    if (home == null) {
      Reply r = script("printf '%s' \"$HOME\"\n");
      home = r.out().strip();
      if (r.exitCode() != 0 || !home.startsWith("/")) {
        throw SshErrors.unreachable(ssh.config(), "it gave no home folder: " + r.stderr());
      }
    }
    return home;
  }

  /**
   * {@code workdir} (absolute) on the host as a machine; the run's own folder (attached commands'
   * pids) is {@code ~/runctl/.runs/<run>}, virtual environments go to {@code ~/runctl/.cache}.
   */
  public Machine machine(String workdir, String runId) throws InterruptedException {
    HostPaths paths = new HostPaths(home(), workdir, runId, false);
    return new SshMachine(ssh, paths, Map.of());
  }

  /** Removes the run's own folder on the host (what {@link #machine} kept there). */
  public void forgetRun(String runId) throws InterruptedException {
    HostPaths paths = new HostPaths(home(), "-", runId, false);
    script("rm -rf -- " + Quote.quote(paths.run()) + "\n");
  }

  @Override
  public void close() {
    ssh.close();
  }
}
