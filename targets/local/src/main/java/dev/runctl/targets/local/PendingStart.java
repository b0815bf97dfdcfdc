package dev.runctl.targets.local;

import dev.runctl.engine.state.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The mark of a detached start on the machine, made before the supervisor is launched, so that a
 * runctl killed anywhere inside the start (kill -9 included) leaves either no process or one that a
 * later runctl finds: {@code <procs>/<name>/starting} holds a token, and the supervisor is started
 * with {@code RUNCTL_SUPERVISES=<folder>#<token>} in its environment, which {@code
 * /proc/<pid>/environ} keeps for the process's life (the supervisor does not pass it on to the
 * command). A live process with that value is a start under way, or a supervisor whose handle was
 * never written; none, and no {@code child} file, is a start that never happened.
 */
final class PendingStart {
  static final String ENV = "RUNCTL_SUPERVISES";
  private static final String MARK = "starting";

  private final Path dir;

  PendingStart(Path dir) {
    this.dir = dir;
  }

  /** Marks a new start; returns the environment value its supervisor must carry. */
  String mark() throws IOException {
    String value = dir.toAbsolutePath().normalize() + "#" + UUID.randomUUID();
    AtomicFile.write(dir.resolve(MARK), value.getBytes(StandardCharsets.UTF_8));
    return value;
  }

  /** True when a start was marked here (its handle may or may not have been written). */
  boolean marked() {
    return Files.isRegularFile(dir.resolve(MARK));
  }

  /** The pid of the live supervisor (or its launcher) of the start marked here, if any. */
  Optional<Long> supervisor() {
    if (!marked()) {
      return Optional.empty();
    }
    String value;
    try {
      value = Files.readString(dir.resolve(MARK), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ProcTable.carrying(ENV, value).stream().map(ProcTable.Proc::pid).findFirst();
  }

  /**
   * The handle of a start marked here whose runctl died before writing it: waits for the live
   * supervisor to start the command, or reads what an ended one left ({@code child}). Empty when
   * the start never launched anything.
   */
  Optional<ProcHandle> recover(String name) throws InterruptedException {
    Optional<Long> supervisor = supervisor();
    long pid;
    if (supervisor.isPresent()) {
      pid = SupervisorStart.awaitChild(dir, supervisor.get());
    } else if (Files.isRegularFile(dir.resolve("child"))) {
      pid = Long.parseLong(ProcFiles.read(dir.resolve("child")));
    } else {
      return Optional.empty();
    }
    return Optional.of(
        new ProcHandle(
            name,
            pid,
            startMillis(pid),
            supervisor.orElse(0L),
            supervisor.map(this::startMillis).orElse(0L)));
  }

  private long startMillis(long pid) {
    return pid <= 0 ? 0 : ProcessRunner.startTime(pid).map(Instant::toEpochMilli).orElse(0L);
  }
}
