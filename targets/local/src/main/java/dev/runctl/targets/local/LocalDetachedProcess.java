package dev.runctl.targets.local;

import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.ProcessPoll;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/** A detached process of the local target, read from its supervisor's state folder. */
final class LocalDetachedProcess implements DetachedProcess {
  private static final int MAX_CHUNK = 1 << 20;

  private final ProcHandle handle;
  private final Path dir;
  private final Optional<Path> watch;
  private final ProcessRunner runner;

  LocalDetachedProcess(ProcHandle handle, Path dir, Optional<Path> watch, ProcessRunner runner) {
    this.handle = handle;
    this.dir = dir;
    this.watch = watch;
    this.runner = runner;
  }

  @Override
  public String handle() {
    return handle.text();
  }

  long pid() {
    return handle.pid();
  }

  long supervisorPid() {
    return handle.supervisorPid();
  }

  /** Still running: no exit code recorded and the script or its supervisor is alive. */
  boolean running() {
    return exitCode().isEmpty() && alive();
  }

  /** E.g. {@code process train-train (pid 4242) running, up 3m12s}, for a user. */
  String describe(java.time.Instant now) {
    String up = "";
    if (handle.startMillis() != 0) {
      long s =
          Math.max(
              0,
              Duration.between(java.time.Instant.ofEpochMilli(handle.startMillis()), now)
                  .getSeconds());
      up = ", up " + dev.runctl.engine.spi.Durations.format(Duration.ofSeconds(s));
    }
    return "process " + handle.name() + " (pid " + handle.pid() + ") running" + up;
  }

  Path outputFile() {
    return dir.resolve("output.log");
  }

  @Override
  public ProcessPoll poll(long outputOffset) {
    ProcessPoll.State state;
    OptionalInt exit = exitCode();
    if (exit.isPresent()) {
      state = ProcessPoll.State.EXITED;
    } else if (alive()) {
      state = ProcessPoll.State.RUNNING;
    } else {
      exit = exitCode();
      state = exit.isPresent() ? ProcessPoll.State.EXITED : ProcessPoll.State.LOST;
    }
    byte[] out = outputOffset == Long.MAX_VALUE ? new byte[0] : readFrom(outputOffset);
    String signature = watch.map(WatchSignature::of).orElse("none");
    return new ProcessPoll(state, exit, out, outputOffset + out.length, signature);
  }

  @Override
  public void terminate(Duration grace) throws InterruptedException {
    if (exitCode().isPresent() || !alive()) {
      return;
    }
    runner.stopGroup(handle.pid(), grace, () -> exitCode().isPresent() || !alive());
    // Give the supervisor a moment to record the exit code of the command it waited for.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (exitCode().isEmpty() && supervisorAlive() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  private boolean alive() {
    boolean child =
        handle.startMillis() != 0 && ProcessRunner.isSameAlive(handle.pid(), handle.startMillis());
    return child || supervisorAlive();
  }

  private boolean supervisorAlive() {
    return handle.supervisorStart() != 0
        && ProcessRunner.isSameAlive(handle.supervisorPid(), handle.supervisorStart());
  }

  private OptionalInt exitCode() {
    Path exit = dir.resolve("exit");
    if (!Files.isRegularFile(exit)) {
      return OptionalInt.empty();
    }
    try {
      return OptionalInt.of(Integer.parseInt(ProcFiles.read(exit)));
    } catch (NumberFormatException | UncheckedIOException e) {
      return OptionalInt.empty();
    }
  }

  private byte[] readFrom(long offset) {
    try (FileChannel ch = FileChannel.open(outputFile(), StandardOpenOption.READ)) {
      long size = ch.size();
      if (offset >= size) {
        return new byte[0];
      }
      ByteBuffer buf = ByteBuffer.allocate((int) Math.min(MAX_CHUNK, size - offset));
      while (buf.hasRemaining() && ch.read(buf, offset + buf.position()) > 0) {
        // keep reading
      }
      byte[] out = new byte[buf.position()];
      buf.flip().get(out);
      return out;
    } catch (NoSuchFileException e) {
      return new byte[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
