package dev.runctl.targets.local;

import dev.runctl.engine.spi.StepLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The processes a run's steps left behind on this computer: a `run` step's {@code sleep 120 &}, a
 * training's child started in a session of its own. Two ways find them, neither fooled by a reused
 * pid: every command of a run is started with {@code RUNCTL_RUN_ID} in its environment, which its
 * descendants inherit (and {@code /proc/<pid>/environ} shows for good); and the supervisor of a
 * detached process, their subreaper, records every descendant it sees as pid and start time in
 * {@code <procs>/<name>/tracked}.
 */
final class RunProcesses {
  /** One process left behind: its id ({@code pid:startTicks}), the step it came from, its argv. */
  record Leftover(long pid, long startTicks, String step, String command) {
    /** E.g. {@code process 4242 (sleep 120) left behind by step bg}. */
    String describe() {
      return "process " + pid + " (" + command + ") left behind by step " + step;
    }

    boolean alive() {
      return ProcTable.read(pid).map(p -> p.startTicks() == startTicks).orElse(false);
    }
  }

  private final String runId;
  private final Path procsDir;
  private final ProcessScan scan;

  RunProcesses(String runId, Path procsDir, ProcessScan scan) {
    this.runId = runId;
    this.procsDir = procsDir;
    this.scan = scan;
  }

  /**
   * The run's processes alive now, except those of {@code sessions} (a detached process that still
   * runs, with its workers) and the processes {@code exclude} names (their supervisors); {@code
   * fresh} as for {@link ProcessScan#marked}.
   */
  List<Leftover> find(Set<Long> sessions, Set<Long> exclude, boolean fresh) {
    Map<Long, Leftover> out = new LinkedHashMap<>();
    long self = ProcessHandle.current().pid();
    for (ProcessScan.Marked m : scan.marked(runId, fresh)) {
      ProcTable.Proc p = m.proc();
      Leftover l = new Leftover(p.pid(), p.startTicks(), m.step(), ProcTable.commandLine(p.pid()));
      if (p.pid() != self
          && !exclude.contains(p.pid())
          && !sessions.contains(p.sid())
          && l.alive()) {
        out.put(p.pid(), l);
      }
    }
    for (Map.Entry<String, List<String>> t : tracked().entrySet()) {
      for (String id : t.getValue()) {
        long[] pt = ProcTable.parseId(id);
        if (pt == null || out.containsKey(pt[0]) || exclude.contains(pt[0])) {
          continue;
        }
        Optional<ProcTable.Proc> p = ProcTable.read(pt[0]).filter(x -> x.startTicks() == pt[1]);
        if (p.isPresent() && !sessions.contains(p.get().sid()) && pt[0] != self) {
          out.put(pt[0], new Leftover(pt[0], pt[1], t.getKey(), ProcTable.commandLine(pt[0])));
        }
      }
    }
    return new ArrayList<>(out.values());
  }

  /**
   * Stops {@code left}: SIGTERM to each, SIGKILL to those still there after {@code grace}. Each
   * signal goes only to the process that started at the recorded time, never to a reused pid.
   */
  static void stop(List<Leftover> left, Duration grace, StepLog log) throws InterruptedException {
    for (Leftover l : left) {
      log.line("stopping " + l.describe());
      signal(l, false);
    }
    long deadline = System.nanoTime() + grace.toNanos();
    while (left.stream().anyMatch(Leftover::alive) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    for (Leftover l : left) {
      signal(l, true);
    }
  }

  private static void signal(Leftover l, boolean kill) {
    if (l.alive()) {
      ProcessHandle.of(l.pid())
          .ifPresent(
              h -> {
                if (kill) {
                  h.destroyForcibly();
                } else {
                  h.destroy();
                }
              });
    }
  }

  /** What each detached process's supervisor recorded, by the step it belongs to. */
  private Map<String, List<String>> tracked() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (!Files.isDirectory(procsDir)) {
      return out;
    }
    try (var dirs = Files.list(procsDir)) {
      for (Path dir : dirs.sorted().toList()) {
        Path file = dir.resolve("tracked");
        if (Files.isRegularFile(file)) {
          String name = dir.getFileName().toString();
          String step = name.startsWith("train-") ? name.substring("train-".length()) : name;
          out.put(step, Files.readAllLines(file).stream().filter(s -> !s.isBlank()).toList());
        }
      }
    } catch (IOException e) {
      // a state folder that cannot be read tells nothing more
    }
    return out;
  }
}
