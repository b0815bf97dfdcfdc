package dev.runctl.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Facts;
import dev.runctl.engine.spi.Health;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetSettings;
import dev.runctl.engine.testing.OffsetReads;
import dev.runctl.engine.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTargetTest {
  @TempDir Path tmp;
  private final MemoryFacts facts = new MemoryFacts();

  private Target open() {
    return open(tmp, runId("r1"), facts);
  }

  /**
   * {@code name} made this JVM's own: the target finds a run's processes on the whole machine by
   * the run's id, and the same tests may run at once in another JVM.
   */
  static String runId(String name) {
    return name + "-" + ProcessHandle.current().pid();
  }

  /** The local target of run {@code runId} of job "job", its folders under {@code tmp}. */
  static Target open(Path tmp, String runId, Facts facts) {
    return new LocalTargetProvider()
        .open(
            new LocalTargetConfig(),
            TargetContext.builder()
                .runId(runId)
                .jobName("job")
                .runDir(tmp.resolve("run"))
                .localWorkdir(tmp.resolve("work"))
                .cacheDir(tmp.resolve("cache"))
                .facts(facts)
                .warnings(w -> {})
                .clock(RunClock.SYSTEM)
                .build());
  }

  @Test
  void withoutProvisionTheMachineIsTheWorkdirInPlace() throws Exception {
    Files.createDirectories(tmp.resolve("work"));
    Machine m = open().machine();
    assertThat(m.workdir()).isEqualTo(tmp.resolve("work").toString());
    assertThat(m.cacheDir()).isEqualTo(tmp.resolve("cache").toString());
    assertThat(m.health()).isEqualTo(Health.ALIVE);
    RecordingLog log = new RecordingLog(tmp.resolve("logs/step.log"));
    open().destroy(log);
    assertThat(log.text()).contains("nothing to remove");
    assertThat(tmp.resolve("work")).exists();
  }

  @Test
  void readsFromAnOffsetAnswerOnlyTheBytesFromThere() throws Exception {
    Files.createDirectories(tmp.resolve("work"));
    OffsetReads.check(open().machine(), new RecordingLog(tmp.resolve("logs/step.log")));
  }

  @Test
  void provisionIsIdempotentAndDestroyRemovesTheWorkspaceAndStopsItsProcesses() throws Exception {
    RecordingLog log = new RecordingLog(tmp.resolve("logs/step.log"));
    Machine first = open().provision(log);
    Machine again = open().provision(log);
    assertThat(again.id()).isEqualTo(first.id());
    assertThat(log.text()).contains("created the workspace").contains("found the workspace again");
    assertThat(facts.all()).containsKey(LocalTarget.WORKSPACE_FACT);
    assertThat(open().machine().workdir()).isEqualTo(tmp.resolve("run/workspace").toString());

    DetachedProcess p =
        first.start(
            new DetachedSpec(
                "sleeper", CommandSpec.of(List.of("sleep", "300"), Map.of()), Optional.empty()));
    assertThat(open().liveResources())
        .hasSize(2)
        .anySatisfy(r -> assertThat(r).contains("running"));
    open().destroy(log);
    assertThat(p.poll(0).state()).isEqualTo(ProcessPoll.State.EXITED);
    assertThat(tmp.resolve("run/workspace")).doesNotExist();
    assertThat(open().machine().health()).isEqualTo(Health.GONE);
    assertThat(open().liveResources()).isEmpty();
    open().destroy(log);
    assertThat(log.text()).contains("already gone");
  }

  @Test
  void liveResourcesNameRunningProcessesAndTheWorkspaceAndSkipWhatTheyCannotRead()
      throws Exception {
    Files.createDirectories(tmp.resolve("work"));
    Machine inPlace = open().machine();
    DetachedProcess p =
        inPlace.start(
            new DetachedSpec(
                "train-x", CommandSpec.of(List.of("sleep", "300"), Map.of()), Optional.empty()));
    inPlace
        .start(
            new DetachedSpec("quick", CommandSpec.of(List.of("true"), Map.of()), Optional.empty()))
        .poll(0);
    Files.createDirectories(tmp.resolve("run/procs/damaged"));
    Files.writeString(tmp.resolve("run/procs/damaged/handle"), "not a handle");
    awaitExit(open(), "quick");

    assertThat(open().liveResources())
        .as("an in-place run: its processes, never the user's workdir")
        .singleElement()
        .asString()
        .startsWith("process train-x (pid ")
        .contains(") running, up ");
    p.terminate(java.time.Duration.ofSeconds(5));
    assertThat(open().liveResources()).isEmpty();

    open().provision(new RecordingLog(tmp.resolve("logs/step.log")));
    assertThat(open().liveResources())
        .singleElement()
        .asString()
        .isEqualTo("workspace " + tmp.resolve("run/workspace") + " not removed");
  }

  @Test
  void theNextWorkspaceGetsTheKeptCheckpointsBackFromProvisionBeforeAnyStepUsesIt()
      throws Exception {
    RecordingLog log = new RecordingLog(tmp.resolve("logs/step.log"));
    Machine first = open().provision(log);
    String script = "mkdir -p out/ckpt && echo 0.93 > out/ckpt/metrics.json";
    DetachedProcess p =
        first.start(
            new DetachedSpec(
                "train",
                CommandSpec.of(List.of("sh", "-c", script), Map.of()),
                Optional.of("out/ckpt")));
    awaitExit(open(), "train");
    assertThat(p.poll(0).exitCode()).hasValue(0);

    open().destroyKeepingProgress(log);
    assertThat(tmp.resolve("run/workspace")).doesNotExist();
    assertThat(tmp.resolve("run/kept/out/ckpt/metrics.json")).exists();

    Machine next = open().provision(log);
    assertThat(next.read("out/ckpt/metrics.json", 100))
        .as("back before any process starts: a verify after a succeeded train reads them")
        .hasValueSatisfying(b -> assertThat(new String(b).trim()).isEqualTo("0.93"));
    assertThat(tmp.resolve("run/kept")).as("emptied, so removed (out/ with it)").doesNotExist();
    assertThat(log.text()).contains("put back out/ckpt");
    open().destroy(log);
  }

  private static void awaitExit(Target t, String name) throws Exception {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
    while (t.liveResources().stream().anyMatch(r -> r.startsWith("process " + name + " "))) {
      assertThat(System.nanoTime()).as(name + " ended").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void unknownTargetSettingsAreReported() {
    Position at = new Position("job.yaml", 5, 3);
    ConfigNode.Mapping settings =
        new ConfigNode.Mapping(
            Map.of(
                "provider",
                ConfigNode.Scalar.string("local", at),
                "region",
                ConfigNode.Scalar.string("x", at)),
            Map.of("provider", at, "region", at),
            at);
    Diagnostics d = new Diagnostics();
    new LocalTargetProvider().configure(new TargetSettings("local", settings, at), d);
    assertThat(d.all())
        .singleElement()
        .satisfies(
            x -> assertThat(x.render()).contains("job.yaml:5:3").contains("no setting 'region'"));
  }
}
