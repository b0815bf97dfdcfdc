package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.Liveness;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetRun;
import dev.runctl.targets.aws.moto.MotoServer;
import dev.runctl.targets.aws.support.AwsHarness;
import dev.runctl.targets.aws.support.AwsTargetIT;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The provider's look at many runs at once ({@code runctl runs}), against the moto launcher. */
class AwsLiveResourcesIT extends AwsTargetIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  protected MotoServer moto() {
    return MOTO;
  }

  @Test
  void oneLookPerRegionFindsEachRunsInstancesIncludingOnesOnlyTheTagKnows() throws Exception {
    MemoryFacts aFacts = new MemoryFacts();
    MemoryFacts bFacts = new MemoryFacts();
    Target a = aws.open("run-a", aFacts, AwsHarness.settings());
    Target b = aws.open("run-b", bFacts, AwsHarness.settings());
    Machine ma = a.provision(aws.log("run-a", "provision"));
    Machine mb = b.provision(aws.log("run-b", "provision"));
    MemoryFacts lost = new MemoryFacts(); // run-b's runctl died before it recorded the instance

    List<TargetRun> runs =
        List.of(run("run-a", aFacts), run("run-b", lost), run("run-c", new MemoryFacts()));
    long before = MOTO.stats().getOrDefault("ec2_requests", 0L);
    Map<String, Liveness> found =
        new AwsTargetProvider().liveResources(runs, Duration.ofSeconds(20));
    long requests = MOTO.stats().getOrDefault("ec2_requests", 0L) - before;

    assertThat(requests).as("DescribeInstances calls for three runs in one region").isEqualTo(2);
    assertThat(found.get("run-a"))
        .isInstanceOfSatisfying(
            Liveness.Known.class,
            k ->
                assertThat(k.resources())
                    .singleElement()
                    .asString()
                    .startsWith(ma.id() + " running (g5.xlarge on-demand, $1.006/h, up "));
    assertThat(found.get("run-b"))
        .isInstanceOfSatisfying(
            Liveness.Known.class,
            k -> assertThat(k.resources()).singleElement().asString().startsWith(mb.id()));
    assertThat(found.get("run-c")).isEqualTo(new Liveness.Known(List.of()));

    a.destroy(aws.log("run-a", "teardown"));
    b.destroy(aws.log("run-b", "teardown"));
    Map<String, Liveness> after =
        new AwsTargetProvider().liveResources(runs, Duration.ofSeconds(20));
    assertThat(after.values()).containsOnly(new Liveness.Known(List.of()));
  }

  private TargetRun run(String runId, MemoryFacts facts) {
    TargetContext ctx =
        TargetContext.builder()
            .runId(runId)
            .jobName("test-job")
            .runDir(dir.resolve("runs").resolve(runId))
            .localWorkdir(dir.resolve("work"))
            .cacheDir(dir.resolve("cache"))
            .facts(facts)
            .warnings(w -> {})
            .clock(RunClock.SYSTEM)
            .build();
    return new TargetRun(aws.configure(AwsHarness.settings()), ctx);
  }
}
