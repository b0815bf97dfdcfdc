package dev.runctl.targets.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The watched folders (checkpoints) of a machine's detached processes, moved aside under {@code
 * <run-dir>/kept/} before the workspace goes and put back into the next one.
 */
final class KeptCheckpoints {
  private final Path procsDir;
  private final Path workdir;

  KeptCheckpoints(Path procsDir, Path workdir) {
    this.procsDir = procsDir;
    this.workdir = workdir;
  }

  /**
   * Before the workspace goes (the teardown of a failed run): moves each detached process's watched
   * folder (its checkpoints) aside, under {@code <run-dir>/kept/}, for {@link #restoreAll}
   * (provision) or {@link #restore} (a start) to put back into the next workspace. Returns the
   * folders kept.
   */
  List<String> keepWatched() {
    List<String> kept = new ArrayList<>();
    if (!Files.isDirectory(procsDir)) {
      return kept;
    }
    try (var dirs = Files.list(procsDir)) {
      for (Path dir : dirs.sorted().toList()) {
        Path watchFile = dir.resolve("watch");
        if (!Files.isRegularFile(watchFile)) {
          continue;
        }
        String watch = ProcFiles.read(watchFile);
        Path base = workdir.toAbsolutePath().normalize();
        Path from = base.resolve(watch).normalize();
        if (!from.startsWith(base) || !Files.isDirectory(from) || isEmpty(from)) {
          continue;
        }
        Path to = keptDir().resolve(watch).normalize();
        LocalFiles.deleteTree(to);
        Files.createDirectories(to.getParent());
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        kept.add(watch);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the checkpoints aside: " + e.getMessage(), e);
    }
    return kept;
  }

  /**
   * Puts back every folder {@link #keepWatched} kept (a new workspace, made by provision, gets the
   * checkpoints before any step uses it). Returns the folders put back.
   */
  List<String> restoreAll() {
    List<String> back = new ArrayList<>();
    if (!Files.isDirectory(procsDir) || !Files.isDirectory(keptDir())) {
      return back;
    }
    try (var dirs = Files.list(procsDir)) {
      for (Path dir : dirs.sorted().toList()) {
        Path watchFile = dir.resolve("watch");
        if (Files.isRegularFile(watchFile) && restore(ProcFiles.read(watchFile))) {
          back.add(ProcFiles.read(watchFile));
        }
      }
      removeEmptyFolders(keptDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot put the kept checkpoints back: " + e.getMessage(), e);
    }
    return back;
  }

  /** {@code dir} and the folders under it that are left empty, deepest first. */
  private static void removeEmptyFolders(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> folders;
    try (var all = Files.walk(dir)) {
      folders = all.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder()).toList();
    }
    for (Path f : folders) {
      if (isEmpty(f)) {
        Files.delete(f);
      }
    }
  }

  /** Puts a folder {@link #keepWatched} kept back, unless the workspace has one with content. */
  boolean restore(String watch) throws IOException {
    Path kept = keptDir().resolve(watch).normalize();
    Path into = workdir.resolve(watch).normalize();
    if (!kept.startsWith(keptDir()) || !Files.isDirectory(kept)) {
      return false;
    }
    if (Files.isDirectory(into) && !isEmpty(into)) {
      return false;
    }
    LocalFiles.deleteTree(into);
    Files.createDirectories(into.getParent());
    Files.move(kept, into, StandardCopyOption.ATOMIC_MOVE);
    removeEmptyFolders(keptDir());
    return true;
  }

  private Path keptDir() {
    return procsDir.resolveSibling("kept");
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }
}
