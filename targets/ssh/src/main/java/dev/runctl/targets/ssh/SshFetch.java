package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.StepException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Copies a file or folder from the host into a local folder: {@code tar -c} there, its stream piped
 * through the connection into a local {@code tar -x}.
 */
final class SshFetch {
  private final SshClient ssh;
  private final HostPaths paths;

  SshFetch(SshClient ssh, HostPaths paths) {
    this.ssh = ssh;
    this.paths = paths;
  }

  void fetch(String path, Path localDestination) throws InterruptedException {
    String script = Scripts.of(Map.of("P", paths.resolve(path)), "fetch.sh");
    Process remote = ssh.startStreamingSplit("bash -s", out -> out.write(bytes(script)));
    Process local;
    try {
      Files.createDirectories(localDestination);
      local =
          new ProcessBuilder(List.of("tar", "-x", "-f", "-", "-C", localDestination.toString()))
              .redirectErrorStream(true)
              .start();
    } catch (IOException e) {
      remote.destroyForcibly();
      throw StepException.fatal(
          "cannot run tar to unpack into " + localDestination + ": " + e.getMessage(),
          "install tar and check that the folder is writable");
    }
    try (InputStream in = remote.getInputStream();
        OutputStream out = local.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // one side ended early: the exit codes below say which
    }
    try {
      int rc = remote.waitFor();
      String err = new String(remote.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      String localOut = new String(local.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int lc = local.waitFor();
      if (rc == 255) {
        ssh.dropDeadMaster();
        throw SshErrors.classify(ssh.config(), err);
      }
      if (rc == 3) {
        throw StepException.failure(
            path
                + " does not exist on "
                + ssh.config().host()
                + " (looked in "
                + paths.workdir()
                + ")",
            "check the path; it is relative to the synced workdir");
      }
      if (rc != 0 || lc != 0) {
        throw StepException.transientError(
            "copying "
                + path
                + " from "
                + ssh.config().host()
                + " failed: "
                + SshProcesses.tail(err + localOut),
            "check free disk space on both sides",
            null);
      }
    } catch (IOException e) {
      throw StepException.transientError("copying " + path + " failed: " + e, null, e);
    } catch (InterruptedException e) {
      remote.destroyForcibly();
      local.destroyForcibly();
      throw e;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
