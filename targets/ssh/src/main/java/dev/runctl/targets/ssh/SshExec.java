package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.StepLog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One attached command on the host, its output streamed into the step's log as it comes. The
 * command, its arguments and environment travel in the script on ssh's stdin. It runs in a session
 * of its own whose pid the host keeps while it runs: an interrupt stops that whole session there.
 */
final class SshExec {
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);
  private final SshClient ssh;
  private final HostPaths paths;

  SshExec(SshClient ssh, HostPaths paths) {
    this.ssh = ssh;
    this.paths = paths;
  }

  ExecResult run(CommandSpec command, StepLog log) throws InterruptedException {
    String id = UUID.randomUUID().toString().substring(0, 12);
    String pidFile = paths.execPid(id);
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("RUNCTL_CWD", paths.resolve(command.cwd().orElse("")));
    vars.put("RUNCTL_PIDF", pidFile);
    String script =
        "set -- "
            + Quote.words(command.argv())
            + "\n"
            + Quote.assignments(command.env(), true)
            + Scripts.of(vars, "exec.sh");
    Process p =
        ssh.startStreaming("bash -s", out -> out.write(script.getBytes(StandardCharsets.UTF_8)));
    Tail tail = new Tail(4000);
    Thread pump =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try (InputStream in = p.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  log.output(buf, 0, n);
                  tail.add(buf, n);
                }
              } catch (IOException e) {
                // the process ended
              }
            },
            "ssh-exec-output");
    pump.setDaemon(true);
    pump.start();
    try {
      int code = p.waitFor();
      pump.join(5000);
      if (code == 255) {
        // ssh's own failure, or the command's exit code 255: a host that does not answer now
        // means the former (and a look with a fresh connection throws Unreachable)
        ssh.dropDeadMaster();
        ssh.script("true\n");
      }
      return new ExecResult(code, tail.text());
    } catch (InterruptedException e) {
      stop(pidFile);
      p.destroyForcibly();
      throw e;
    }
  }

  /** Stops the command's session on the host; never throws InterruptedException. */
  private void stop(String pidFile) {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("RUNCTL_PIDF", pidFile);
    vars.put("GRACE", Long.toString(STOP_GRACE.getSeconds()));
    try {
      ssh.script(Scripts.of(vars, "stop-exec.sh"));
    } catch (InterruptedException again) {
      // asked twice: the teardown's cleanup stops what is left
    } catch (RuntimeException e) {
      // the host is gone: nothing to stop there now; teardown tries again
    } finally {
      Thread.currentThread().interrupt();
    }
  }

  /** The last bytes of the output, for messages. */
  static final class Tail {
    private final byte[] buf;
    private long n;

    Tail(int max) {
      this.buf = new byte[max];
    }

    synchronized void add(byte[] b, int len) {
      for (int i = 0; i < len; i++) {
        buf[(int) (n++ % buf.length)] = b[i];
      }
    }

    synchronized String text() {
      int len = (int) Math.min(n, buf.length);
      byte[] out = new byte[len];
      for (int i = 0; i < len; i++) {
        out[i] = buf[(int) ((n - len + i) % buf.length)];
      }
      return new String(out, StandardCharsets.UTF_8);
    }
  }
}
