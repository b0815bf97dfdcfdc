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
 * Starts a detached process under {@code <procs>/<name>/}, under a small Python supervisor ({@code
 * supervisor.py}) in its own session: the supervisor starts the command in a session of its own (so
 * a signal to the command's group never reaches the supervisor), writes the command's pid, copies
 * its stdout and stderr to {@code output.log} with the run's secrets masked, records every process
 * the command starts (it is their subreaper) in {@code tracked}, and writes the command's exit code
 * to {@code exit}. The script writes no marker itself; the supervisor outlives runctl.
 */
final class SupervisorStart {
  private static final String SUPERVISOR = "supervisor.py";

  private final Path procsDir;
  private final Path workdir;
  private final ProcessRunner runner;
  private final DetachedLookup lookup;
  private final KeptCheckpoints kept;

  SupervisorStart(
      Path procsDir,
      Path workdir,
      ProcessRunner runner,
      DetachedLookup lookup,
      KeptCheckpoints kept) {
    this.procsDir = procsDir;
    this.workdir = workdir;
    this.runner = runner;
    this.lookup = lookup;
    this.kept = kept;
  }

  DetachedProcess start(DetachedSpec spec) throws InterruptedException {
    if (!ProcHandle.NAME.matcher(spec.name()).matches()) {
      throw StepException.fatal(
          "'" + spec.name() + "' cannot name a detached process",
          "use letters, digits, '.', '_' and '-' only");
    }
    Path dir = procsDir.resolve(spec.name());
    refuseASecond(spec.name(), dir);
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
        ProcFiles.write(dir.resolve("watch"), spec.watchPath().get());
        kept.restore(spec.watchPath().get());
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
      ProcFiles.write(dir.resolve("handle"), handle.text());
      return new LocalDetachedProcess(handle, dir, spec.watchPath().map(workdir::resolve), runner);
    } catch (IOException | UncheckedIOException e) {
      throw StepException.transientError(
          "cannot start '" + spec.name() + "': " + e.getMessage(), null, e);
    }
  }

  /** Refuses the start while a process of that name runs or is still being started. */
  private void refuseASecond(String name, Path dir) throws InterruptedException {
    Optional<LocalDetachedProcess> previous = lookup.find(dir);
    if (previous.isEmpty()) {
      // a start a killed runctl left without a handle: its supervisor may be running
      Optional<Long> starting = new PendingStart(dir).supervisor();
      if (starting.isPresent()) {
        throw new StepException(
            ErrorClass.FAILURE,
            false,
            "a process named '"
                + name
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
              + name
              + "' is already running on this machine (pid "
              + previous.get().pid()
              + ")",
          "wait for it to end, or stop it with `runctl cancel`/`runctl destroy` for this run",
          null);
    }
  }

  /** Waits for the supervisor in {@code dir} to start its command; answers the command's pid. */
  static long awaitChild(Path dir, long supervisor) throws InterruptedException {
    Path child = dir.resolve("child");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.isRegularFile(child)) {
        String text = ProcFiles.read(child);
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
    try (InputStream in = SupervisorStart.class.getResourceAsStream(SUPERVISOR)) {
      if (in == null) {
        throw new IOException(SUPERVISOR + " is missing from the runctl jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
