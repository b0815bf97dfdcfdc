package dev.runctl.targets.local;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.StepException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Starts and finds detached processes under {@code <procs>/<name>/}. Each runs under a small Python
 * supervisor ({@code supervisor.py}) in its own session: the supervisor starts the command in a
 * session of its own (so a signal to the command's group never reaches the supervisor), writes the
 * command's pid, copies its stdout and stderr to {@code output.log} with the run's secrets masked,
 * records every process the command starts (it is their subreaper) in {@code tracked}, and writes
 * the command's exit code to {@code exit}. The script writes no marker itself; the supervisor
 * outlives runctl.
 */
final class DetachedProcesses {
  private static final String SUPERVISOR = "supervisor.py";

  private final Path procsDir;
  private final Path workdir;
  private final ProcessRunner runner;

  DetachedProcesses(Path procsDir, Path workdir, ProcessRunner runner) {
    this.procsDir = procsDir;
    this.workdir = workdir;
    this.runner = runner;
  }

  DetachedProcess start(DetachedSpec spec) throws InterruptedException {
    if (!ProcHandle.NAME.matcher(spec.name()).matches()) {
      throw StepException.fatal(
          "'" + spec.name() + "' cannot name a detached process",
          "use letters, digits, '.', '_' and '-' only");
    }
    Path dir = procsDir.resolve(spec.name());
    Optional<LocalDetachedProcess> previous = find(dir);
    if (previous.isEmpty()) {
      // a start a killed runctl left without a handle: its supervisor may be running
      Optional<Long> starting = new PendingStart(dir).supervisor();
      if (starting.isPresent()) {
        throw new StepException(
            ErrorClass.FAILURE,
            false,
            "a process named '"
                + spec.name()
                + "' is being started on this machine by an earlier runctl (supervisor pid "
                + starting.get()
                + ")",
            "runctl resume finds it by its name; or stop it with `runctl destroy` for this run",
            null);
      }
    }
    if (previous.isPresent()
        && previous.get().poll(Long.MAX_VALUE).state() == ProcessPoll.State.RUNNING) {
      throw new StepException(
          ErrorClass.FAILURE,
          false,
          "a process named '"
              + spec.name()
              + "' is already running on this machine (pid "
              + previous.get().pid()
              + ")",
          "wait for it to end, or stop it with `runctl cancel`/`runctl destroy` for this run",
          null);
    }
    try {
      // what an earlier process of this name left behind stays on record until the teardown
      Path tracked = dir.resolve("tracked");
      byte[] earlier = Files.isRegularFile(tracked) ? Files.readAllBytes(tracked) : new byte[0];
      LocalFiles.deleteTree(dir);
      Files.createDirectories(dir);
      if (earlier.length > 0) {
        Files.write(tracked, earlier);
      }
      if (spec.watchPath().isPresent()) {
        write(dir.resolve("watch"), spec.watchPath().get());
        restoreKept(spec.watchPath().get());
        Files.createDirectories(workdir.resolve(spec.watchPath().get()));
      }
      CommandSpec cmd = spec.command();
      Path cwd = cmd.cwd().map(workdir::resolve).orElse(workdir);
      List<String> argv =
          new ArrayList<>(List.of(SpawnHelper.python(), "-I", "-S", "-c", supervisorScript()));
      argv.add(dir.toString());
      argv.addAll(cmd.argv());
      Map<String, String> env = new LinkedHashMap<>(cmd.env());
      env.put(PendingStart.ENV, new PendingStart(dir).mark()); // on disk before the launch
      if (!spec.secrets().isEmpty()) {
        // through the environment, never argv; the supervisor takes it out of the command's
        Base64.Encoder b64 = Base64.getEncoder();
        env.put(
            "RUNCTL_MASK",
            spec.secrets().stream()
                .map(v -> b64.encodeToString(v.getBytes(StandardCharsets.UTF_8)))
                .collect(Collectors.joining(",")));
      }
      long supervisor = runner.spawnDetached(argv, env, cwd);
      long supervisorStart =
          ProcessRunner.startTime(supervisor).map(Instant::toEpochMilli).orElse(0L);
      long pid = awaitChild(dir, supervisor);
      long start = ProcessRunner.startTime(pid).map(Instant::toEpochMilli).orElse(0L);
      ProcHandle handle = new ProcHandle(spec.name(), pid, start, supervisor, supervisorStart);
      write(dir.resolve("handle"), handle.text());
      return new LocalDetachedProcess(handle, dir, spec.watchPath().map(workdir::resolve), runner);
    } catch (IOException | UncheckedIOException e) {
      throw StepException.transientError(
          "cannot start '" + spec.name() + "': " + e.getMessage(), null, e);
    }
  }

  /**
   * Before the workspace goes (the teardown of a failed run): moves each detached process's watched
   * folder (its checkpoints) aside, under {@code <run-dir>/kept/}, for {@link #restoreAllKept}
   * (provision) or {@link #start} to put back into the next workspace. Returns the folders kept.
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
        String watch = read(watchFile);
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
  List<String> restoreAllKept() {
    List<String> back = new ArrayList<>();
    if (!Files.isDirectory(procsDir) || !Files.isDirectory(keptDir())) {
      return back;
    }
    try (var dirs = Files.list(procsDir)) {
      for (Path dir : dirs.sorted().toList()) {
        Path watchFile = dir.resolve("watch");
        if (Files.isRegularFile(watchFile) && restoreKept(read(watchFile))) {
          back.add(read(watchFile));
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
  private boolean restoreKept(String watch) throws IOException {
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

  /**
   * The process last started under {@code name}: by its handle file, or, when a runctl died inside
   * {@link #start} before writing it, by the start's mark ({@link PendingStart}), waiting for a
   * start still under way. The handle found that way is written, as the start would have.
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
    write(dir.resolve("handle"), recovered.get().text());
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
    List<LocalDetachedProcess> out = new ArrayList<>();
    if (!Files.isDirectory(procsDir)) {
      return out;
    }
    try (var dirs = Files.list(procsDir)) {
      for (Path dir : dirs.sorted().toList()) {
        try {
          find(dir).filter(LocalDetachedProcess::running).ifPresent(out::add);
        } catch (StepException | UncheckedIOException e) {
          // a damaged handle: nothing to say about that process
        }
      }
    } catch (IOException | UncheckedIOException e) {
      return out;
    }
    return out;
  }

  /** Every detached process with a readable handle, running or ended. */
  List<LocalDetachedProcess> known() {
    List<LocalDetachedProcess> out = new ArrayList<>();
    if (!Files.isDirectory(procsDir)) {
      return out;
    }
    try (var dirs = Files.list(procsDir)) {
      for (Path dir : dirs.sorted().toList()) {
        try {
          find(dir).ifPresent(out::add);
        } catch (StepException | UncheckedIOException e) {
          // a damaged handle: nothing to say about that process
        }
      }
    } catch (IOException | UncheckedIOException e) {
      return out;
    }
    return out;
  }

  private Optional<LocalDetachedProcess> find(Path dir) {
    Path handleFile = dir.resolve("handle");
    if (!Files.isRegularFile(handleFile)) {
      return Optional.empty();
    }
    ProcHandle handle = ProcHandle.parse(read(handleFile));
    Optional<Path> watch =
        Files.isRegularFile(dir.resolve("watch"))
            ? Optional.of(workdir.resolve(read(dir.resolve("watch"))))
            : Optional.empty();
    return Optional.of(new LocalDetachedProcess(handle, dir, watch, runner));
  }

  static long awaitChild(Path dir, long supervisor) throws InterruptedException {
    Path child = dir.resolve("child");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isRegularFile(child)) {
        String text = read(child);
        if (!text.isEmpty()) {
          return Long.parseLong(text);
        }
      }
      if (ProcessHandle.of(supervisor).map(h -> !h.isAlive()).orElse(true)
          && !Files.isRegularFile(child)) {
        throw new UncheckedIOException(
            new IOException(
                "its supervisor ended before starting it; see " + dir.resolve("output.log")));
      }
      Thread.sleep(5);
    }
    throw new UncheckedIOException(new IOException("its supervisor did not start it within 20s"));
  }

  private static String supervisorScript() throws IOException {
    try (InputStream in = DetachedProcesses.class.getResourceAsStream(SUPERVISOR)) {
      if (in == null) {
        throw new IOException(SUPERVISOR + " is missing from the runctl jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
