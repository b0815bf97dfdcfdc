package dev.runctl.targets.local;

import dev.runctl.engine.spi.TargetCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code runctl plan --check} for this computer: python3 answers, the disk has room. Reads only.
 */
final class LocalChecks {
  /** Below this much free space where runctl keeps its state, the disk check fails. */
  static final long MIN_FREE_BYTES = 1L << 30;

  private LocalChecks() {}

  static List<TargetCheck> run(Path folder) throws InterruptedException {
    return List.of(python(), disk(folder));
  }

  private static TargetCheck python() throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder(List.of("python3", "--version")).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return TargetCheck.ok("python", "python3: " + out);
      }
      return TargetCheck.failed("python", "python3 --version failed: " + out, INSTALL);
    } catch (IOException e) {
      return TargetCheck.failed("python", "no python3 on PATH", INSTALL);
    }
  }

  private static TargetCheck disk(Path folder) {
    try {
      Path at = folder.toAbsolutePath();
      while (!Files.exists(at) && at.getParent() != null) {
        at = at.getParent();
      }
      long free = Files.getFileStore(at).getUsableSpace();
      String where = String.format("%.1f GiB free in %s", free / (double) (1L << 30), at);
      return free >= MIN_FREE_BYTES
          ? TargetCheck.ok("disk", where)
          : TargetCheck.failed("disk", where, "free some space there (checkpoints need room)");
    } catch (IOException e) {
      return TargetCheck.failed(
          "disk", "cannot tell the free space: " + e.getMessage(), "check the folder");
    }
  }

  private static final String INSTALL =
      "install Python 3 (Debian: apt-get install python3 python3-venv) and put python3 on PATH";
}
