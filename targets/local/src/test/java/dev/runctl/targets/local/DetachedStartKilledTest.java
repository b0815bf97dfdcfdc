package dev.runctl.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.StepException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runctl killed inside {@link LocalMachine#start}, after the supervisor was launched and before
 * the handle was written (the state that leaves: the start's mark and a supervisor, no {@code
 * handle}), with real processes: a fresh machine object refuses a second start of the name and
 * finds the process by its name, running or ended; a mark that launched nothing finds nothing.
 */
class DetachedStartKilledTest {
  @TempDir Path tmp;
  private final ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(2));
  private LocalMachine machine;

  private static final String SCRIPT =
      "import os, time\n"
          + "open('starts.txt', 'a').write('%d\\n' % os.getpid())\n"
          + "while not os.path.exists('release'):\n"
          + "    time.sleep(0.05)\n";

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(tmp.resolve("work"));
    Files.writeString(tmp.resolve("work/job.py"), SCRIPT);
    machine = newMachine();
  }

  @AfterEach
  void stopAll() throws Exception {
    Files.writeString(tmp.resolve("work/release"), "");
    for (LocalDetachedProcess p : newMachine().runningProcesses()) {
      p.terminate(Duration.ofSeconds(1));
    }
  }

  private LocalMachine newMachine() {
    return new LocalMachine(
        "m", tmp.resolve("work"), tmp.resolve("procs"), tmp.resolve("cache"), false, runner);
  }

  private static DetachedSpec spec() {
    return new DetachedSpec(
        "train-train", CommandSpec.of(List.of("python3", "job.py"), Map.of()), Optional.empty());
  }

  @Test
  void aStartWithoutItsHandleIsRefusedAgainAndFoundByName() throws Exception {
    DetachedProcess first = machine.start(spec());
    Files.delete(tmp.resolve("procs/train-train/handle")); // killed before writing it
    waitFor(() -> Files.exists(tmp.resolve("work/starts.txt")));

    LocalMachine resumed = newMachine();
    assertThatThrownBy(() -> resumed.start(spec()))
        .isInstanceOf(StepException.class)
        .hasMessageContaining("is being started on this machine by an earlier runctl");
    Optional<DetachedProcess> found = resumed.attachByName("train-train");
    assertThat(found).isPresent();
    assertThat(found.get().handle()).isEqualTo(first.handle());
    assertThat(found.get().poll(Long.MAX_VALUE).state()).isEqualTo(ProcessPoll.State.RUNNING);
    assertThat(Files.readString(tmp.resolve("procs/train-train/handle"))).isEqualTo(first.handle());

    Files.writeString(tmp.resolve("work/release"), "");
    waitFor(() -> found.get().poll(Long.MAX_VALUE).state() == ProcessPoll.State.EXITED);
    assertThat(found.get().poll(Long.MAX_VALUE).exitCode()).hasValue(0);
    assertThat(Files.readAllLines(tmp.resolve("work/starts.txt"))).as("one process").hasSize(1);
  }

  @Test
  void aStartWithoutItsHandleThatHasEndedIsFoundEnded() throws Exception {
    Files.writeString(tmp.resolve("work/release"), "");
    DetachedProcess first = machine.start(spec());
    waitFor(() -> first.poll(Long.MAX_VALUE).state() == ProcessPoll.State.EXITED);
    Files.delete(tmp.resolve("procs/train-train/handle"));

    Optional<DetachedProcess> found = newMachine().attachByName("train-train");
    assertThat(found).isPresent();
    ProcessPoll look = found.get().poll(Long.MAX_VALUE);
    assertThat(look.state()).isEqualTo(ProcessPoll.State.EXITED);
    assertThat(look.exitCode()).hasValue(0);
  }

  @Test
  void aMarkThatLaunchedNothingFindsNothingAndAllowsTheStart() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("procs/train-train"));
    new PendingStart(dir).mark(); // killed after the mark, before the launch
    assertThat(newMachine().attachByName("train-train")).isEmpty();
    assertThat(newMachine().attachByName("never-started")).isEmpty();
    DetachedProcess p = newMachine().start(spec());
    assertThat(p.poll(Long.MAX_VALUE).state()).isEqualTo(ProcessPoll.State.RUNNING);
  }

  private interface Condition {
    boolean holds() throws Exception;
  }

  private static void waitFor(Condition c) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!c.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 30s");
      }
      Thread.sleep(20);
    }
  }
}
