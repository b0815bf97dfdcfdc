package dev.runctl.targets.local;

import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.StepException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Finds the detached processes of a machine under {@code <procs>/<name>/}: by handle, by name (a
 * start a killed runctl left half done included), and all of them, running or not.
 */
final class DetachedLookup {
  private final Path procsDir;
  private final Path workdir;
  private final ProcessRunner runner;

  DetachedLookup(Path procsDir, Path workdir, ProcessRunner runner) {
    this.procsDir = procsDir;
    this.workdir = workdir;
    this.runner = runner;
  }

  /**
   * The process last started under {@code name}: by its handle file, or, when a runctl died inside
   * a start before writing it, by the start's mark ({@link PendingStart}), waiting for a start
   * still under way. The handle found that way is written, as the start would have.
   */
  Optional<DetachedProcess> attachByName(String name) throws InterruptedException {
    if (!ProcHandle.NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    Path dir = procsDir.resolve(name);
    Optional<LocalDetachedProcess> found = find(dir);
    if (found.isPresent()) {
      return Optional.of(found.get());
    }
    Optional<ProcHandle> recovered = new PendingStart(dir).recover(name);
    if (recovered.isEmpty()) {
      return Optional.empty();
    }
    ProcFiles.write(dir.resolve("handle"), recovered.get().text());
    return find(dir).map(p -> p);
  }

  Optional<DetachedProcess> attach(String handleText) {
    ProcHandle handle = ProcHandle.parse(handleText);
    Path dir = procsDir.resolve(handle.name());
    return find(dir).filter(p -> p.handle().equals(handleText)).map(p -> p);
  }

  /** Every detached process of this machine that is still running. */
  List<LocalDetachedProcess> running() throws InterruptedException {
    List<LocalDetachedProcess> out = new ArrayList<>();
    if (!Files.isDirectory(procsDir)) {
      return out;
    }
    try (var dirs = Files.list(procsDir)) {
      for (Path dir : dirs.sorted().toList()) {
        Optional<LocalDetachedProcess> p = find(dir);
        if (p.isPresent() && p.get().poll(Long.MAX_VALUE).state() == ProcessPoll.State.RUNNING) {
          out.add(p.get());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /**
   * The detached processes still running, for a look from outside the run ({@code runctl runs}):
   * cheaper than {@link #running} (no checkpoint signature) and never failing on a state folder it
   * cannot read (one that is half written or damaged tells nothing, and is left out).
   */
  List<LocalDetachedProcess> alive() {
    return readable(LocalDetachedProcess::running);
  }

  /** Every detached process with a readable handle, running or ended. */
  List<LocalDetachedProcess> known() {
    return readable(p -> true);
  }

  /** The process in {@code dir} by its handle file; empty when it has none. */
  Optional<LocalDetachedProcess> find(Path dir) {
    Path handleFile = dir.resolve("handle");
    if (!Files.isRegularFile(handleFile)) {
      return Optional.empty();
    }
    ProcHandle handle = ProcHandle.parse(ProcFiles.read(handleFile));
    Optional<Path> watch =
        Files.isRegularFile(dir.resolve("watch"))
            ? Optional.of(workdir.resolve(ProcFiles.read(dir.resolve("watch"))))
            : Optional.empty();
    return Optional.of(new LocalDetachedProcess(handle, dir, watch, runner));
  }

  /** The processes with a readable handle that {@code keep} accepts; a damaged one is left out. */
  private List<LocalDetachedProcess> readable(Predicate<LocalDetachedProcess> keep) {
    List<LocalDetachedProcess> out = new ArrayList<>();
    if (!Files.isDirectory(procsDir)) {
      return out;
    }
    try (var dirs = Files.list(procsDir)) {
      for (Path dir : dirs.sorted().toList()) {
        try {
          find(dir).filter(keep).ifPresent(out::add);
        } catch (StepException | UncheckedIOException e) {
          // a damaged handle: nothing to say about that process
        }
      }
    } catch (IOException | UncheckedIOException e) {
      return out;
    }
    return out;
  }
}
