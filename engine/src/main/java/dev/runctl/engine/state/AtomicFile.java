package dev.runctl.engine.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A file replaced whole, never seen half-written: the bytes go to a temporary file of the writer's
 * own beside it, which is then renamed over the target. The temporary name is unique per write, so
 * that two processes replacing the same file at once (two commands catching up one run from the
 * shared store) each rename their own file instead of one renaming the other's away.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /**
   * Replaces {@code target} with {@code data}; the temporary file ends in {@code .tmp}. It is made
   * as any new file (the umask's permissions, not a temporary file's 0600), which the target keeps.
   */
  public static void write(Path target, byte[] data) throws IOException {
    Path tmp =
        target.resolveSibling(
            "."
                + target.getFileName()
                + "."
                + ProcessHandle.current().pid()
                + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + ".tmp");
    try {
      Files.write(tmp, data, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(tmp);
      throw e;
    }
  }
}
