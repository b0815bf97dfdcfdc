package dev.runctl.targets.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Every process the JVM itself starts for the local target starts here, one at a time, and only
 * while enough file descriptors are free.
 *
 * <p>Why: when {@code ProcessBuilder.start} cannot make its pipes (the descriptor limit is
 * reached), the JDK (17.0.15 at least) closes two descriptors it never opened, taken from
 * uninitialised memory: in practice descriptor 0 twice. The first close takes runctl's stdin, the
 * second whatever another thread opened in between at the number 0, such as a step's log, whose
 * next write then fails with "Bad file descriptor". So a start is not attempted when it could fail
 * that way: it fails here as the JDK would have said, "error=24, Too many open files", and closes
 * nothing.
 */
final class JvmSpawn {
  /**
   * Descriptors a start needs free: up to five pipes (stdin, stdout, stderr, the child's
   * environment, the failure report), plus a margin for what other threads open meanwhile.
   */
  static final int HEADROOM = 16;

  private static final Object LOCK = new Object();
  private static final OptionalLong LIMIT = limit(Path.of("/proc/self/limits"));

  private JvmSpawn() {}

  static Process start(ProcessBuilder pb) throws IOException {
    synchronized (LOCK) {
      if (LIMIT.isPresent()) {
        long open = openDescriptors();
        if (open >= 0 && LIMIT.getAsLong() - open < HEADROOM) {
          throw new IOException(
              "error=24, Too many open files ("
                  + open
                  + " of the "
                  + LIMIT.getAsLong()
                  + " descriptors allowed are open)");
        }
      }
      return pb.start();
    }
  }

  /** How many descriptors this process has open, or -1 when that cannot be told. */
  static long openDescriptors() {
    String[] names = new File("/proc/self/fd").list();
    return names == null ? -1 : names.length - 1; // less the one that listed them
  }

  /** The soft "Max open files" limit from {@code limits} (a /proc/PID/limits file). */
  static OptionalLong limit(Path limits) {
    try {
      for (String line : Files.readAllLines(limits)) {
        if (line.startsWith("Max open files")) {
          String[] f = line.substring("Max open files".length()).trim().split("\\s+");
          return f[0].equals("unlimited")
              ? OptionalLong.empty()
              : OptionalLong.of(Long.parseLong(f[0]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no /proc: start without the check
    }
    return OptionalLong.empty();
  }
}
