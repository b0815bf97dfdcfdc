package dev.runctl.cli;

import dev.runctl.engine.state.RunFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each run's folder is, so that a run can be found from any folder: one line per run, {@code
 * <run id> TAB <absolute run folder>}, appended to {@code $XDG_STATE_HOME/runctl/runs.tsv} (default
 * {@code ~/.local/state/runctl}). The index only says where folders are; the run's state stays in
 * its folder. A line whose folder no longer holds a journal (moved or deleted) is skipped when
 * read; a project that was moved is indexed again when its runs are listed there.
 */
final class RunIndex {
  private final Optional<Path> file;

  RunIndex(Optional<Path> file) {
    this.file = file;
  }

  /** The index of this user, from {@code XDG_STATE_HOME} or {@code HOME}; none without either. */
  static RunIndex ofUser() {
    return new RunIndex(home(System.getenv("XDG_STATE_HOME"), System.getenv("HOME")));
  }

  static Optional<Path> home(String xdgStateHome, String home) {
    if (xdgStateHome != null && !xdgStateHome.isBlank() && Path.of(xdgStateHome).isAbsolute()) {
      return Optional.of(Path.of(xdgStateHome, "runctl", "runs.tsv"));
    }
    if (home != null && !home.isBlank()) {
      return Optional.of(Path.of(home, ".local", "state", "runctl", "runs.tsv"));
    }
    return Optional.empty();
  }

  Optional<Path> file() {
    return file;
  }

  /**
   * Records where {@code run}'s folder is; answers a problem to show as a note when the index
   * cannot be written (the run goes on: only finding it from elsewhere is lost).
   */
  Optional<String> record(RunFolder run) {
    if (file.isEmpty()) {
      return Optional.empty();
    }
    String line = run.runId() + "\t" + run.dir().toAbsolutePath().normalize() + "\n";
    try {
      Files.createDirectories(file.get().getParent());
      // one short write with O_APPEND: lines of concurrent runctls do not interleave
      Files.write(
          file.get(),
          line.getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of(
          "cannot record the run in the index of runs "
              + file.get()
              + " ("
              + e.getMessage()
              + "); `runctl runs --all` and run ids from other folders will not find it");
    }
  }

  /** The indexed runs whose folders still hold a journal, one per folder, in no special order. */
  List<RunFolder> runs() {
    if (file.isEmpty() || !Files.isRegularFile(file.get())) {
      return List.of();
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file.get(), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
    Map<Path, RunFolder> byDir = new LinkedHashMap<>();
    for (String l : lines) {
      int tab = l.indexOf('\t');
      if (tab <= 0) {
        continue; // a torn or foreign line
      }
      try {
        Path dir = Path.of(l.substring(tab + 1));
        RunFolder f = new RunFolder(l.substring(0, tab), dir);
        if (dir.isAbsolute()
            && dir.getFileName().toString().equals(f.runId())
            && Files.isRegularFile(f.journal())) {
          byDir.put(dir, f);
        }
      } catch (RuntimeException e) {
        // an unreadable path: skipped
      }
    }
    return new ArrayList<>(byDir.values());
  }
}
