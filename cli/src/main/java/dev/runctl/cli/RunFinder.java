package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what the user typed for a run into its folder: a full id, a unique prefix of one, {@code
 * latest} or nothing (the newest run of this project, the state folder of the current folder). The
 * runs of this project are looked at first, then those of every project in the {@link RunIndex}.
 */
final class RunFinder {
  static final String LATEST = "latest";

  /** A run found: its folder and the store (state folder) it lives in. */
  record Found(RunStore store, RunFolder folder) {
    String runId() {
      return folder.runId();
    }
  }

  private final RunStore local;
  private final RunIndex index;

  private final java.util.Optional<SharedRuns> shared;

  RunFinder(RunStore local, RunIndex index) {
    this(local, index, null);
  }

  /** A finder that first brings runs of the shared state ({@code shared}) into {@code local}. */
  RunFinder(RunStore local, RunIndex index, SharedRuns shared) {
    this.local = local;
    this.index = index;
    this.shared = java.util.Optional.ofNullable(shared);
  }

  /** This project's runs that have a journal, newest first. */
  List<RunFolder> projectRuns() {
    return local.list().stream().filter(f -> Files.isRegularFile(f.journal())).toList();
  }

  /** Every run: this project's and the indexed ones, one per folder, newest first. */
  List<RunFolder> allRuns() {
    Map<Path, RunFolder> byDir = new LinkedHashMap<>();
    for (RunFolder f : local.list()) {
      byDir.put(f.dir().toAbsolutePath().normalize(), f);
    }
    for (RunFolder f : index.runs()) {
      byDir.putIfAbsent(f.dir().toAbsolutePath().normalize(), f);
    }
    List<RunFolder> all = new ArrayList<>(byDir.values());
    all.sort(RunStore.NEWEST_FIRST);
    return all;
  }

  /**
   * Records in the index those of {@code projectRuns} (with a journal) that it does not hold at
   * their folder: runs of a project that was moved, or of a runctl from before the index.
   */
  java.util.Optional<String> indexProject(List<RunFolder> projectRuns) {
    java.util.Set<Path> known = new java.util.HashSet<>();
    index.runs().forEach(f -> known.add(f.dir().toAbsolutePath().normalize()));
    for (RunFolder f : projectRuns) {
      if (Files.isRegularFile(f.journal())
          && !known.contains(f.dir().toAbsolutePath().normalize())) {
        java.util.Optional<String> problem = index.record(f);
        if (problem.isPresent()) {
          return problem;
        }
      }
    }
    return java.util.Optional.empty();
  }

  Found find(String typed) {
    shared.ifPresent(s -> s.pull(local, typed));
    if (typed == null || typed.equals(LATEST)) {
      List<RunFolder> mine = projectRuns();
      if (mine.isEmpty()) {
        throw new RunctlException(
            ErrorCategory.USAGE,
            "no runs in this project ("
                + local.stateDir()
                + (typed == null ? "), so no run id can be left out" : "), so no `latest` run"),
            "run it from the project's folder (where `runctl apply` was run), or give a run id;"
                + " `runctl runs --all` lists the runs of every project");
      }
      return found(mine.get(0));
    }
    for (RunFolder f : projectRuns()) {
      if (f.runId().equals(typed)) {
        return found(f);
      }
    }
    List<RunFolder> all = allRuns().stream().filter(f -> Files.isRegularFile(f.journal())).toList();
    for (RunFolder f : all) {
      if (f.runId().equals(typed)) {
        return found(f);
      }
    }
    List<RunFolder> matches = all.stream().filter(f -> f.runId().startsWith(typed)).toList();
    if (matches.size() == 1) {
      return found(matches.get(0));
    }
    if (matches.isEmpty()) {
      throw new RunctlException(
          ErrorCategory.USAGE,
          "no run '" + typed + "' in " + local.stateDir() + " nor in the index of runs",
          "`runctl runs` lists this project's runs, `runctl runs --all` every run;"
              + " pass --state-dir if the run lives in a folder runctl has not seen");
    }
    StringBuilder b = new StringBuilder("'" + typed + "' names " + matches.size() + " runs:");
    for (RunFolder f : matches) {
      b.append("\n  ").append(f.runId()).append("  (").append(f.dir()).append(')');
    }
    throw new RunctlException(ErrorCategory.USAGE, b.toString(), "give more of the run id");
  }

  private Found found(RunFolder f) {
    shared.ifPresent(s -> s.refresh(f));
    Path stateDir = f.dir().toAbsolutePath().normalize().getParent().getParent();
    return new Found(stateDir.equals(local.stateDir()) ? local : new RunStore(stateDir), f);
  }
}
