package dev.runctl.targets.slurm;

import static dev.runctl.targets.ssh.Quote.quote;

import dev.runctl.engine.spi.StepException;
import dev.runctl.targets.ssh.SshLogin;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The workdir's files on the login node, reached with ssh: each operation is one script on ssh's
 * stdin ({@code bash -s}), every path quoted; file contents (the env file with the run's secrets
 * among them) travel inside that script, base64-encoded, never in an argv.
 */
final class SshFiles implements ClusterFiles {
  private final SshLogin ssh;

  SshFiles(SshLogin ssh) {
    this.ssh = ssh;
  }

  @Override
  public String home() throws InterruptedException {
    return ssh.home();
  }

  @Override
  public boolean mkdirs(String dir) throws InterruptedException {
    return ssh.script("mkdir -p -- " + quote(dir) + "\n").exitCode() == 0;
  }

  @Override
  public boolean isDirectory(String dir) throws InterruptedException {
    return ssh.script("test -d " + quote(dir) + "\n").exitCode() == 0;
  }

  @Override
  public void write(String dir, List<Write> files) throws InterruptedException {
    StringBuilder s = new StringBuilder("set -e\numask 077\nmkdir -p -- " + quote(dir) + "\n");
    Base64.Encoder b64 = Base64.getMimeEncoder(76, new byte[] {'\n'});
    for (Write w : files) {
      String p = quote(w.path());
      s.append("rm -f -- ").append(p).append('\n');
      s.append("base64 -d > ").append(p).append(" <<'@@RUNCTL_B64'\n");
      s.append(b64.encodeToString(w.content())).append("\n@@RUNCTL_B64\n");
      s.append("chmod ")
          .append(w.secret() ? "600" : w.executable() ? "700" : "644")
          .append(' ')
          .append(p)
          .append('\n');
    }
    SshLogin.Reply r = ssh.script(s.toString());
    if (r.exitCode() != 0) {
      throw StepException.fatal(
          "cannot write the batch job's files into "
              + ssh.config().host()
              + ":"
              + dir
              + ": "
              + r.stderr().strip(),
          "the workdir must be writable (and on a filesystem the compute nodes share)");
    }
  }

  @Override
  public Optional<String> read(String path) throws InterruptedException {
    String p = quote(path);
    SshLogin.Reply r = ssh.script("test -f " + p + " && cat -- " + p + "\n");
    return r.exitCode() == 0 ? Optional.of(r.out()) : Optional.empty();
  }

  @Override
  public byte[] readFrom(String path, long offset, int max, Duration wait, String stopWhen)
      throws InterruptedException {
    String script =
        "P="
            + quote(path)
            + " S="
            + quote(stopWhen)
            + " OFF="
            + offset
            + " MAX="
            + max
            + " end=$(( $(date +%s%3N) + "
            + wait.toMillis()
            + " ))\n"
            + "while :; do\n"
            + "  size=$(stat -c %s -- \"$P\" 2>/dev/null || echo 0)\n"
            + "  if [ \"$size\" -gt \"$OFF\" ]; then"
            + " tail -c +$((OFF + 1)) -- \"$P\" | head -c \"$MAX\"; exit 0; fi\n"
            + "  if [ -e \"$S\" ] || [ \"$(date +%s%3N)\" -ge \"$end\" ]; then exit 0; fi\n"
            + "  sleep 0.05\n"
            + "done\n";
    return ssh.script(script).stdout();
  }

  @Override
  public void append(String path, String text) throws InterruptedException {
    ssh.script("printf '%s' " + quote(text) + " >> " + quote(path) + "\n");
  }

  @Override
  public boolean delete(List<String> paths) throws InterruptedException {
    if (paths.isEmpty()) {
      return false;
    }
    StringBuilder s =
        new StringBuilder("there=1; test -e " + quote(paths.get(0)) + " || there=0\n");
    for (String p : paths) {
      s.append("rm -f -- ").append(quote(p)).append('\n');
    }
    s.append("echo $there\n");
    return ssh.script(s.toString()).out().strip().equals("1");
  }

  @Override
  public String signature(String dir) throws InterruptedException {
    String d = quote(dir);
    return ssh.script(
            "if [ -d "
                + d
                + " ]; then find "
                + d
                + " -type f -printf '%P %s %T@\\n' 2>/dev/null | sort | cksum | tr ' ' '-';"
                + " else echo absent; fi\n")
        .out()
        .strip();
  }
}
