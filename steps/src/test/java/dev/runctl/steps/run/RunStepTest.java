package dev.runctl.steps.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.exec.RunResult;
import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.RunStatus;
import dev.runctl.engine.state.StepStatus;
import dev.runctl.engine.testing.EngineHarness;
import dev.runctl.engine.testing.FakeTarget;
import dev.runctl.engine.testing.FakeTargetProvider;
import dev.runctl.engine.testing.TestPlans;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunStepTest {
  @TempDir Path dir;
  final RunStep run = new RunStep();
  final FakeTarget target = new FakeTarget();

  List<Diagnostic> problems(Map<String, Object> with) {
    Plan plan = TestPlans.job("p", dir).step("a", new dev.runctl.engine.testing.FakeStep()).build();
    Diagnostics d = new Diagnostics();
    run.configure(
        new ConfigureContext(
            plan.steps().get(0).spec().ref(),
            plan.job().workdir(),
            (ConfigNode.Mapping) TestPlans.node(with),
            d,
            true));
    return d.all();
  }

  @Test
  void configureTakesCommandOrShellAndRefusesSecretsInArguments() {
    assertThat(problems(Map.of("command", List.of("echo", "a b")))).isEmpty();
    assertThat(problems(Map.of("shell", "echo hi"))).isEmpty();
    assertThat(problems(Map.of()))
        .singleElement()
        .satisfies(d -> assertThat(d.message()).contains("exactly one of 'command'"));
    assertThat(problems(Map.of("command", List.of("x"), "shell", "y"))).hasSize(1);
    assertThat(problems(Map.of("command", List.of("curl", "-H", "${{ env.TOKEN }}"))))
        .singleElement()
        .satisfies(d -> assertThat(d.hint()).contains("env:"));
  }

  @Test
  void runsArgvAsGivenAndCollectsOutputs() throws Exception {
    target
        .inPlace()
        .onExec(
            c -> {
              String out = c.env().get("RUNCTL_OUTPUT");
              if (out != null && c.argv().get(0).equals("make-model")) {
                target.inPlace().put(out, "model=m.pt\n# comment\nscore=0.93\nbad line\n");
              }
            });
    Plan plan =
        TestPlans.job("p", dir)
            .target(new FakeTargetProvider(target))
            .step("a", run)
            .with("command", List.of("make-model", "--name", "run with spaces"))
            .step("b", run)
            .with("shell", "echo ${{ steps.a.outputs.model }}")
            .build();
    EngineHarness engine = new EngineHarness(dir.resolve("state"));
    RunResult r = engine.apply(plan);
    assertThat(r.status()).isEqualTo(RunStatus.SUCCEEDED);
    List<CommandSpec> cmds = target.inPlace().commands();
    assertThat(cmds.get(0).argv()).containsExactly("make-model", "--name", "run with spaces");
    assertThat(cmds.get(1).argv().get(0)).isEqualTo("rm");
    assertThat(cmds.get(2).argv()).containsExactly("sh", "-c", "echo m.pt");
    RunState s = engine.state(r.runId());
    assertThat(s.step("a").orElseThrow().outputs())
        .containsEntry("model", "m.pt")
        .containsEntry("score", "0.93")
        .hasSize(2);
    assertThat(s.warnings()).anyMatch(w -> w.contains("line 4 of $RUNCTL_OUTPUT"));
  }

  @Test
  void createsSkipsTheWorkAndAFailedCommandSaysItsExitCode() throws Exception {
    target.inPlace().put("data/ready", "x");
    target.inPlace().exitNext(127);
    Plan plan =
        TestPlans.job("p", dir)
            .target(new FakeTargetProvider(target))
            .step("prep", run)
            .with("command", List.of("prepare"))
            .with("creates", "data/ready")
            .step("train", run)
            .with("command", List.of("nosuchprog"))
            .build();
    EngineHarness engine = new EngineHarness(dir.resolve("state"));
    RunResult r = engine.apply(plan);
    assertThat(r.status()).isEqualTo(RunStatus.FAILED);
    RunState s = engine.state(r.runId());
    assertThat(s.step("prep").orElseThrow().status()).isEqualTo(StepStatus.SUCCEEDED);
    assertThat(s.step("train").orElseThrow().message())
        .contains("'nosuchprog' could not be run (exit 127");
    assertThat(target.inPlace().commands()).hasSize(1);
  }
}
