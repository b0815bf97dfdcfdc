package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.testing.RecordingLog;
import dev.runctl.targets.aws.moto.MotoServer;
import dev.runctl.targets.aws.support.AwsHarness;
import dev.runctl.targets.aws.support.AwsTargetIT;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ec2.model.Instance;

/** Provisioning against the patched moto_server over HTTP with the real SDK. */
class AwsProvisionIT extends AwsTargetIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();

  @Override
  protected MotoServer moto() {
    return MOTO;
  }

  @Test
  void provisionIsIdempotentAndRecordsTheInstance() throws Exception {
    MemoryFacts facts = new MemoryFacts();
    Target first = aws.open("run-a", facts, AwsHarness.settings());
    RecordingLog log = aws.log("run-a", "provision");
    Machine m = first.provision(log);
    assertThat(facts.get("aws.instances")).contains(m.id());
    assertThat(log.lines()).contains("SSM agent on " + m.id() + " is online");
    assertThat(m.describe())
        .containsEntry("instance_id", m.id())
        .containsEntry("market", "on_demand");
    assertThat(m.describe().get("price_per_hour")).isEqualTo("1.006");

    // a retry in the same process, a resume with the same facts, and a resume that lost them
    assertThat(first.provision(log).id()).isEqualTo(m.id());
    assertThat(aws.open("run-a", facts, AwsHarness.settings()).provision(log).id())
        .isEqualTo(m.id());
    MemoryFacts lost = new MemoryFacts();
    Target blind = aws.open("run-a", lost, AwsHarness.settings());
    assertThat(blind.provision(log).id()).isEqualTo(m.id());
    assertThat(lost.get("aws.instances")).contains(m.id());
    assertThat(aws.instancesOf("run-a")).hasSize(1);
    assertThat(MOTO.stats().get("run_instances")).isEqualTo(1L);

    Instance i = aws.instancesOf("run-a").get(0);
    assertThat(i.tags())
        .extracting(t -> t.key() + "=" + t.value())
        .contains("runctl:run-id=run-a", "runctl:step=provision", "runctl:job=test-job", "team=ml");
    assertThat(i.iamInstanceProfile().arn()).endsWith(MotoServer.PROFILE);
    assertThat(first.liveResources()).singleElement().asString().startsWith(m.id() + " running");

    ExecResult r =
        m.exec(CommandSpec.of(List.of("sh", "-c", "echo hello from $(pwd)"), Map.of()), log);
    assertThat(r.exitCode()).isZero();
    assertThat(log.output()).contains("hello from " + m.workdir());

    first.destroy(log);
    assertThat(aws.instancesOf("run-a"))
        .allMatch(x -> x.state().nameAsString().equals("terminated"));
    assertThat(first.liveResources()).isEmpty();
    first.destroy(log); // idempotent
    assertThat(first.costUntil(java.time.Instant.now())).isPresent();
  }

  /**
   * Between the boot and the pull each SSM round trip counts: the probe and the guard share one.
   */
  @Test
  void aFirstProvisionLooksAtTheInstanceAndStartsItsGuardInOneCommand() throws Exception {
    Target t = aws.open("run-one", new MemoryFacts(), AwsHarness.settings());
    RecordingLog log = aws.log("run-one", "provision");
    long before = MOTO.stats().get("commands");
    Machine m = t.provision(log);
    assertThat(MOTO.stats().get("commands") - before).as("SSM commands of provision").isEqualTo(1);
    assertThat(log.lines()).contains(m.id() + " answers commands", "the guard on " + m.id());
    java.nio.file.Path guard = MOTO.sandbox(m.id()).resolve("runctl/run-one/guard");
    String params = java.nio.file.Files.readString(guard.resolve("params"));
    String base = m.workdir().substring(0, m.workdir().length() - "/work".length());
    assertThat(params)
        .as("the guard's paths are the ones RemotePaths gives the run")
        .contains("PROCS=" + base + "/procs")
        .contains("SEEN=" + base.substring(0, base.length() - "/run-one".length()) + "/.seen");
    for (int i = 0; i < 100 && !java.nio.file.Files.exists(guard.resolve("pid")); i++) {
      Thread.sleep(50); // the guard writes its pid once it runs
    }
    assertThat(
            ProcessHandle.of(
                Long.parseLong(java.nio.file.Files.readString(guard.resolve("pid")).trim())))
        .as("the guard runs")
        .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
    long again = MOTO.stats().get("commands");
    assertThat(t.provision(log).id()).isEqualTo(m.id());
    assertThat(MOTO.stats().get("commands") - again)
        .as("a second provision knows HOME: the guard's start only, which finds it alive")
        .isEqualTo(1);
    t.destroy(log);
  }

  /** The SDK's own waiter looks every 15 s: a boot of 4 s was seen after 15. */
  @Test
  void aBootIsSeenWithinAboutASecondOfItsEnd() throws Exception {
    MOTO.faults("{\"boot_delay\": 4}");
    Target t = aws.open("run-boot", new MemoryFacts(), AwsHarness.settings());
    RecordingLog log = aws.log("run-boot", "provision");
    long t0 = System.nanoTime();
    Machine m = t.provision(log);
    double seconds = (System.nanoTime() - t0) / 1e9;
    t.destroy(log);
    assertThat(seconds).as("provision with a 4 s boot, in seconds").isLessThan(11);
    assertThat(log.lines()).contains(m.id() + " is running after ");
  }

  @Test
  void machineWithoutProvisionSaysWhatIsMissing() {
    Target t = aws.open("run-b", new MemoryFacts(), AwsHarness.settings());
    assertThatThrownBy(t::machine)
        .isInstanceOf(StepException.class)
        .hasMessageContaining("no aws machine")
        .satisfies(e -> assertThat(((StepException) e).errorClass()).isEqualTo(ErrorClass.ERROR));
  }
}
