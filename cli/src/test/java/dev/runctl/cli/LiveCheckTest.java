package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spec.SpecLoader;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Liveness;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.engine.spi.TargetRun;
import dev.runctl.engine.spi.TargetSettings;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.RunStatus;
import dev.runctl.engine.state.RunStore;
import dev.runctl.targets.local.LocalTargetProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The liveness check over real run folders and fake providers with behaviour: one that answers from
 * the runs' facts and counts its calls, one that never answers, one that fails, and the real local
 * target.
 */
class LiveCheckTest {
  @TempDir Path dir;

  /** Answers from the fact {@code alive} of each run; records each call's runs. */
  static final class Counting implements TargetProvider {
    final List<List<String>> calls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public String name() {
      return "counting";
    }

    @Override
    public TargetConfig configure(TargetSettings spec, Diagnostics diagnostics) {
      return () -> Map.of("provider", "counting");
    }

    @Override
    public Target open(TargetConfig config, TargetContext context) {
      throw new AssertionError("the check must ask for all runs at once, not open each");
    }

    @Override
    public Map<String, Liveness> liveResources(List<TargetRun> runs, Duration timeout) {
      calls.add(runs.stream().map(r -> r.context().runId()).toList());
      Map<String, Liveness> out = new java.util.LinkedHashMap<>();
      for (TargetRun r : runs) {
        out.put(
            r.context().runId(),
            new Liveness.Known(r.context().facts().get("alive").stream().toList()));
      }
      return out;
    }
  }

  /** Never answers until interrupted. */
  static final class Hanging implements TargetProvider {
    final CountDownLatch asked = new CountDownLatch(1);

    @Override
    public String name() {
      return "hanging";
    }

    @Override
    public TargetConfig configure(TargetSettings spec, Diagnostics diagnostics) {
      return () -> Map.of("provider", "hanging");
    }

    @Override
    public Target open(TargetConfig config, TargetContext context) {
      throw new AssertionError("not opened");
    }

    @Override
    public Map<String, Liveness> liveResources(List<TargetRun> runs, Duration timeout)
        throws InterruptedException {
      asked.countDown();
      new CountDownLatch(1).await();
      return Map.of();
    }
  }

  /** Fails like a backend without credentials. */
  static final class Failing implements TargetProvider {
    @Override
    public String name() {
      return "failing";
    }

    @Override
    public TargetConfig configure(TargetSettings spec, Diagnostics diagnostics) {
      return () -> Map.of("provider", "failing");
    }

    @Override
    public Target open(TargetConfig config, TargetContext context) {
      throw new dev.runctl.engine.RunctlException(
          "no credentials for the failing backend", "sign in first");
    }
  }

  private final Counting counting = new Counting();
  private final Hanging hanging = new Hanging();
  private final AtomicBoolean awsLoaded = new AtomicBoolean();

  private LiveCheck check(Duration timeout) {
    List<TargetProvider> providers =
        List.of(
            new LocalTargetProvider(),
            counting,
            hanging,
            new Failing(),
            new LazyTargetProvider(
                "aws",
                dev.runctl.targets.aws.AwsSettings.SCHEMA,
                () -> {
                  awsLoaded.set(true);
                  return new dev.runctl.targets.aws.AwsTargetProvider();
                }));
    return new LiveCheck(
        new RunStore(dir.resolve("state")),
        new SpecLoader(new Registry(List.of(), providers)),
        timeout);
  }

  private LiveCheck.Subject run(String id, String provider, Map<String, String> facts) {
    RunStore store = new RunStore(dir.resolve("state"));
    String spec =
        "version: 1\nname: job\ntarget:\n  provider: "
            + provider
            + "\nsteps:\n  - id: a\n    uses: run\n    with: {command: [\"true\"]}\n";
    store.create(id, dir.resolve("job.yaml"), spec, Instant.now()).close();
    RunFolder f = store.existing(id);
    RunState s =
        new RunState(
            id,
            "job",
            dir.resolve("job.yaml").toString(),
            RunStatus.FAILED,
            "",
            Instant.now(),
            Optional.of(Instant.now()),
            0,
            Duration.ZERO,
            1,
            "host",
            Optional.empty(),
            Map.of(),
            facts,
            List.of());
    return new LiveCheck.Subject(f, s);
  }

  @Test
  void theRunsOfOneProviderAreAskedInOneCall() throws Exception {
    List<LiveCheck.Subject> runs =
        List.of(
            run("a-20261123-100000-0001", "counting", Map.of("alive", "m-1 running")),
            run("a-20261123-100000-0002", "counting", Map.of()),
            run("a-20261123-100000-0003", "counting", Map.of("alive", "m-3 running")));
    LiveCheck.Result r = check(Duration.ofSeconds(10)).check(runs);
    assertThat(counting.calls).hasSize(1);
    assertThat(counting.calls.get(0)).hasSize(3);
    assertThat(r.of("a-20261123-100000-0001"))
        .isEqualTo(new Liveness.Known(List.of("m-1 running")));
    assertThat(r.of("a-20261123-100000-0002")).isEqualTo(new Liveness.Known(List.of()));
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void aTargetThatDoesNotAnswerInTimeIsUnknownAndTheOthersStillAnswer() throws Exception {
    List<LiveCheck.Subject> runs =
        List.of(
            run("h-20261123-100000-0001", "hanging", Map.of()),
            run("h-20261123-100000-0002", "hanging", Map.of()),
            run("c-20261123-100000-0003", "counting", Map.of("alive", "m-3 running")));
    LiveCheck.Result r = check(Duration.ofMillis(300)).check(runs);
    assertThat(r.of("h-20261123-100000-0001"))
        .isInstanceOfSatisfying(
            Liveness.Unknown.class,
            u -> assertThat(u.cause()).contains("hanging target: no answer within"));
    assertThat(r.of("c-20261123-100000-0003"))
        .isEqualTo(new Liveness.Known(List.of("m-3 running")));
    assertThat(r.problems())
        .singleElement()
        .asString()
        .startsWith("cannot tell whether 2 hanging runs still have resources alive");
    assertThat(hanging.asked.getCount()).isZero();
  }

  @Test
  void aFailingTargetAndAnUnreadableSpecAreUnknownWithTheirCause() throws Exception {
    LiveCheck.Subject failing = run("f-20261123-100000-0001", "failing", Map.of());
    LiveCheck.Subject broken = run("b-20261123-100000-0002", "counting", Map.of());
    Files.writeString(broken.folder().spec(), "version: 1\ntarget: [unclosed\n");
    LiveCheck.Result r = check(Duration.ofSeconds(10)).check(List.of(failing, broken));
    assertThat(r.of("f-20261123-100000-0001"))
        .isEqualTo(new Liveness.Unknown("no credentials for the failing backend; sign in first"));
    assertThat(r.of("b-20261123-100000-0002"))
        .isInstanceOfSatisfying(
            Liveness.Unknown.class, u -> assertThat(u.cause()).startsWith("its frozen spec: "));
    assertThat(r.problems())
        .anySatisfy(
            p ->
                assertThat(p)
                    .isEqualTo(
                        "cannot tell whether run f-20261123-100000-0001 still has resources"
                            + " alive: no credentials for the failing backend; sign in first"));
  }

  @Test
  void localRunsNeverLoadTheAwsTarget() throws Exception {
    LiveCheck.Subject local = run("l-20261123-100000-0001", "local", Map.of());
    LiveCheck.Result r = check(Duration.ofSeconds(10)).check(List.of(local));
    assertThat(r.of("l-20261123-100000-0001")).isEqualTo(new Liveness.Known(List.of()));
    assertThat(awsLoaded).isFalse();
  }

  @Test
  void aLocalWorkspaceThatNoTeardownRemovedIsAlive() throws Exception {
    LiveCheck.Subject local =
        run("w-20261123-100000-0001", "local", Map.of("local.workspace", "recorded"));
    Files.createDirectories(local.folder().dir().resolve("workspace"));
    LiveCheck.Result r = check(Duration.ofSeconds(10)).check(List.of(local));
    assertThat(r.of("w-20261123-100000-0001"))
        .isInstanceOfSatisfying(
            Liveness.Known.class,
            k -> assertThat(k.resources()).singleElement().asString().contains("workspace"));
  }
}
