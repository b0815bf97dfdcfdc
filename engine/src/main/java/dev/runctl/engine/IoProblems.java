package dev.runctl.engine;

import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Recognises the I/O failures that are about the machine runctl runs on rather than about a step (a
 * full disk, no file descriptors left) anywhere in a chain of causes, and says what to do about
 * them. Java gives no errno: the operating system's own text ({@code strerror}) is what is matched.
 */
public final class IoProblems {

  /** A recognised problem: the system's words for it, and what to do. */
  public record Known(String reason, String advice) {
    /**
     * Whether it outlasts a retry: a full disk stays full until someone frees space, while file
     * descriptors come free again as the steps that hold them end.
     */
    public boolean lasting() {
      return !reason.equals(TOO_MANY_FILES);
    }

    /** What to do, and then to continue the run. */
    public String hint() {
      return then("continue with `runctl resume RUN_ID`");
    }

    /** What to do, and then {@code next} (e.g. "apply again"). */
    public String then(String next) {
      return advice + "; then " + next;
    }

    /** Whether {@code other} (a hint given where the problem was met) says what to do already. */
    public boolean saidIn(Optional<String> other) {
      String remedy = reason.equals(TOO_MANY_FILES) ? "ulimit -n" : "free space";
      return other.filter(h -> h.contains(remedy)).isPresent();
    }
  }

  private static final String TOO_MANY_FILES = "Too many open files";

  private IoProblems() {}

  /**
   * What {@code t} (or a cause of it) says, when it is a problem of the machine. {@code where}: the
   * file or folder runctl was writing, when the caller knows it (else the exception's own file).
   */
  public static Optional<Known> of(Throwable t, Optional<Path> where) {
    Optional<Path> file = where.isPresent() ? where : fileOf(t);
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      String text = String.valueOf(c.getMessage());
      if (text.contains("No space left on device") || text.contains("Disk quota exceeded")) {
        String reason =
            text.contains("Disk quota exceeded")
                ? "Disk quota exceeded"
                : "No space left on device";
        return Optional.of(new Known(reason, fullDisk(file)));
      }
      if (text.contains("Too many open files") || text.contains("error=24")) {
        return Optional.of(new Known(TOO_MANY_FILES, NO_DESCRIPTORS));
      }
    }
    return Optional.empty();
  }

  private static final String NO_DESCRIPTORS =
      "runctl (or a process it started) ran out of file descriptors: raise the limit in the shell"
          + " that starts runctl, e.g. `ulimit -n 65536` (`ulimit -Hn` shows the most it can be"
          + " raised to)";

  private static String fullDisk(Optional<Path> file) {
    String place =
        file.map(f -> "the file system that holds " + f.toAbsolutePath().getParent())
            .orElse("the full file system");
    String df =
        file.map(f -> " (`df -h " + f.toAbsolutePath().getParent() + "` shows it)").orElse("");
    return "free space on "
        + place
        + df
        + ": the folders of old runs under "
        + file.flatMap(IoProblems::runsFolder)
            .map(Path::toString)
            .orElse("the state folder's runs/")
        + " (virtual environments, artifacts, logs) can be removed with `rm -r`";
  }

  /** The {@code runs} folder of the state folder that holds {@code file}, if it is in one. */
  private static Optional<Path> runsFolder(Path file) {
    for (Path p = file.toAbsolutePath(); p != null; p = p.getParent()) {
      if (p.getFileName() != null && p.getFileName().toString().equals("runs")) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The file the first {@link FileSystemException} in the chain names. */
  private static Optional<Path> fileOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (c instanceof FileSystemException f && f.getFile() != null) {
        return Optional.of(Path.of(f.getFile()));
      }
    }
    return Optional.empty();
  }
}
