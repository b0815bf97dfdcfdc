package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.StepException;
import java.io.IOException;
import java.util.Locale;

/**
 * What went wrong in an ssh connection, from the client's complaint, with what to run to fix it.
 * Configuration trouble (unknown host key, refused key, unknown name) is not retryable; a host that
 * does not answer is a transient error ({@link Unreachable}), which the train step's follower
 * retries until {@code reconnect_timeout}.
 */
final class SshErrors {
  private SshErrors() {}

  /** The host did not answer or the connection broke: may pass. */
  static final class Unreachable extends StepException {
    private static final long serialVersionUID = 1L;

    Unreachable(String message, String hint) {
      super(ErrorClass.ERROR, true, message, hint, null);
    }
  }

  static StepException classify(SshConfig c, String stderr) {
    String err = clean(stderr);
    String lower = err.toLowerCase(Locale.ROOT);
    String host = c.host();
    String ssh = "ssh " + (c.sshConfig().map(f -> "-F " + f + " ").orElse("")) + host;
    if (lower.contains("host key verification failed")
        || lower.contains("no ") && lower.contains("host key is known")) {
      return StepException.fatal(
          "The host key of " + host + " is not known (or has changed): " + err,
          "check the key's fingerprint with the host's owner, then add it: ssh-keyscan "
              + c.port().map(p -> "-p " + p + " ").orElse("")
              + host
              + " >> ~/.ssh/known_hosts (or connect once with '"
              + ssh
              + "' and answer yes)");
    }
    if (lower.contains("permission denied")) {
      return StepException.fatal(
          "The host " + host + " refused the key: " + err,
          "load your key into the agent (ssh-add ~/.ssh/id_ed25519), or name it with"
              + " identity_file: in the target, or add to ~/.ssh/config:  Host "
              + host
              + " / IdentityFile ~/.ssh/id_ed25519; '"
              + ssh
              + " true' must work without a password");
    }
    if (lower.contains("could not resolve hostname")) {
      return StepException.fatal(
          "Cannot resolve the host name " + host + ": " + err,
          "use an address, or add to ~/.ssh/config:  Host " + host + " / HostName 10.0.0.5");
    }
    if (lower.contains("bad configuration option")
        || lower.contains("no such file") && lower.contains("config")
        || lower.contains("can't open user config")) {
      return StepException.fatal(
          "ssh rejects its configuration: " + err,
          "fix the file ssh names; check with ssh -G " + host);
    }
    return unreachable(c, err.isEmpty() ? "the connection closed" : err);
  }

  static Unreachable unreachable(SshConfig c, String why) {
    return new Unreachable(
        "Cannot reach " + c.host() + " over ssh: " + why,
        "check that the machine is up and sshd runs there; 'ssh -v "
            + c.host()
            + " true' shows where it stops");
  }

  static StepException noClient(IOException e) {
    return StepException.fatal(
        "Cannot run the OpenSSH client: " + e.getMessage(),
        "install it (Debian: apt-get install openssh-client; macOS has it) and put ssh on PATH");
  }

  private static String clean(String stderr) {
    StringBuilder b = new StringBuilder();
    for (String line : stderr.split("\n")) {
      String l = line.strip();
      if (l.isEmpty() || l.startsWith("Warning: Permanently added")) {
        continue;
      }
      if (b.length() > 0) {
        b.append("; ");
      }
      b.append(l);
    }
    String s = b.toString();
    return s.length() <= 500 ? s : s.substring(0, 500) + "...";
  }
}
