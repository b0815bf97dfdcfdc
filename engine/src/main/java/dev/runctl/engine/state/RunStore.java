package dev.runctl.engine.state;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.IoProblems;
import dev.runctl.engine.RunctlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The runs under a state folder: {@code <state-dir>/runs/<run-id>/}, and the shared cache. */
public final class RunStore {
  private static final Pattern RUN_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,120}");
  private static final Duration SNAPSHOT_INTERVAL = Duration.ofSeconds(5);
  private final Path stateDir;
  private final SecureRandom random = new SecureRandom();

  public RunStore(Path stateDir) {
    this.stateDir = stateDir.toAbsolutePath().normalize();
  }

  public Path stateDir() {
    return stateDir;
  }

  public Path cacheDir() {
    return stateDir.resolve("cache");
  }

  /** {@code <job>-<yyyymmdd-hhmmss>-<4 hex>}, UTC. */
  public String newRunId(String job, Instant now) {
    return job
        + "-"
        + RunIds.STAMP.format(now)
        + "-"
        + String.format("%04x", random.nextInt(0x10000));
  }

  public RunFolder folder(String runId) {
    if (!RUN_ID.matcher(runId).matches()) {
      throw new RunctlException(
          "'" + runId + "' is not a run id",
          "run ids read <job>-<yyyymmdd-hhmmss>-<4 hex>; `runctl runs` lists them");
    }
    return new RunFolder(runId, stateDir.resolve("runs").resolve(runId));
  }

  public boolean exists(String runId) {
    return Files.isRegularFile(folder(runId).journal());
  }

  /** The folder of an existing run, or an error that says how to find the right id. */
  public RunFolder existing(String runId) {
    RunFolder f = folder(runId);
    if (!Files.isRegularFile(f.journal())) {
      throw new RunctlException(
          "no run '" + runId + "' in " + stateDir,
          "`runctl runs` lists the runs there; pass --state-dir if they live elsewhere");
    }
    return f;
  }

  /**
   * Starts a new run: takes the lock, freezes the spec, opens the journal. The lock comes first, so
   * that of two processes creating the same run id at once the second gets {@link
   * RunLockedException} naming the first (or, once the first has let go, finds the run existing),
   * never a half-made run. When making the run fails (a full disk, say), the half-made run folder
   * is removed again: a run exists once its journal does.
   */
  public ActiveRun create(String runId, Path specFile, String specSource, Instant now) {
    RunFolder f = folder(runId);
    try {
      Files.createDirectories(f.dir());
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot create the run folder " + f.dir() + ": " + e.getMessage(),
          "check that --state-dir (" + stateDir + ") is writable",
          e);
    }
    RunLock lock;
    try {
      lock = RunLock.acquire(f, now);
    } catch (RunLockedException e) {
      throw e; // another process is making this run: its folder is not ours to remove
    } catch (RuntimeException e) {
      if (!Files.exists(f.journal())) {
        removeHalfMade(f);
      }
      throw e;
    }
    try {
      return create(f, lock, specFile, specSource, now);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  private ActiveRun create(
      RunFolder f, RunLock lock, Path specFile, String specSource, Instant now) {
    String runId = f.runId();
    if (Files.exists(f.journal())) {
      throw new RunctlException(
          "run " + runId + " exists already", "continue it with `runctl resume " + runId + "`");
    }
    try {
      Files.createDirectories(f.logs());
      Files.createDirectories(f.artifacts());
      Files.writeString(f.spec(), specSource, StandardCharsets.UTF_8);
      Files.writeString(
          f.specSource(), specFile.toAbsolutePath().normalize() + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      removeHalfMade(f);
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot create the run folder " + f.dir() + ": " + e.getMessage(),
          IoProblems.of(e, Optional.of(f.spec()))
              .map(k -> k.then("apply again"))
              .orElse("check that --state-dir (" + stateDir + ") is writable"),
          e);
    }
    try {
      Snapshotter snap = new Snapshotter(f, SNAPSHOT_INTERVAL, List.of(), now);
      Journal journal = Journal.open(f.journal(), snap::onDurable);
      return new ActiveRun(f, lock, journal, snap, RunState.replay(List.of()), false, List.of());
    } catch (RuntimeException e) {
      removeHalfMade(f);
      throw e;
    }
  }

  /**
   * Best effort: what is left stays listed by `runctl runs` as incomplete, with how to remove it.
   */
  private static void removeHalfMade(RunFolder f) {
    try (Stream<Path> s = Files.walk(f.dir())) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | RuntimeException e) {
      // listed as incomplete by `runctl runs`
    }
  }

  /**
   * Takes over an existing run for resume: the lock (or {@link RunLockedException}), the journal
   * with a torn last line cut off, and the state it records.
   */
  public ActiveRun open(String runId, Instant now) {
    RunFolder f = existing(runId);
    RunLock lock = RunLock.acquire(f, now);
    try {
      List<String> notices = new ArrayList<>();
      lock.takenOverFrom()
          .ifPresent(
              h ->
                  notices.add(
                      "took over the lock of run "
                          + runId
                          + " from "
                          + h.describe()
                          + ", which is no longer running"));
      JournalLoader.Loaded loaded = JournalLoader.load(f.journal(), true);
      loaded.tornTail().ifPresent(t -> notices.add("the journal's last " + t + "; it was cut off"));
      notices.addAll(loaded.warnings());
      Snapshotter snap = new Snapshotter(f, SNAPSHOT_INTERVAL, loaded.records(), now);
      Journal journal = Journal.open(f.journal(), snap::onDurable);
      return new ActiveRun(
          f, lock, journal, snap, RunState.replay(loaded.records()), true, notices);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /**
   * Every run folder, newest first by id time stamp: those with a journal, and half-made ones (an
   * apply that stopped before its journal held a record), which readers show as incomplete.
   */
  public List<RunFolder> list() {
    Path runs = stateDir.resolve("runs");
    if (!Files.isDirectory(runs)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(runs)) {
      return s.filter(Files::isDirectory)
          .filter(p -> RUN_ID.matcher(p.getFileName().toString()).matches())
          .map(p -> new RunFolder(p.getFileName().toString(), p))
          .sorted(NEWEST_FIRST)
          .toList();
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot list " + runs + ": " + e.getMessage(),
          "check that the state folder is readable",
          e);
    }
  }

  /** Run folders by their id's time stamp, newest first. */
  public static final java.util.Comparator<RunFolder> NEWEST_FIRST =
      (a, b) -> stamp(b.runId()).compareTo(stamp(a.runId()));

  private static String stamp(String runId) {
    String[] p = runId.split("-");
    int at = RunIds.dateAt(p);
    if (at >= 1) {
      // a sweep's children: by the sweep's time, then their number
      String last = p[p.length - 1];
      String n = at == p.length - 4 ? "000000".substring(Math.min(6, last.length())) + last : "";
      return p[at]
          + p[at + 1]
          + String.join("-", java.util.Arrays.asList(p).subList(0, at + 3))
          + n;
    }
    return p.length >= 3 ? p[p.length - 3] + p[p.length - 2] + runId : runId;
  }

  /** The frozen spec's text and the path the original spec file had. */
  public record FrozenSpec(Path originalFile, String source) {}

  public FrozenSpec frozenSpec(RunFolder f) {
    try {
      return new FrozenSpec(
          Path.of(Files.readString(f.specSource(), StandardCharsets.UTF_8).trim()),
          Files.readString(f.spec(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot read the frozen spec of run " + f.runId() + ": " + e.getMessage(),
          "the run folder " + f.dir() + " is incomplete; start a new run with `runctl apply`",
          e);
    }
  }
}
