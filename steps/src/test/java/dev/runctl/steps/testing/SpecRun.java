package dev.runctl.steps.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.exec.RunResult;
import dev.runctl.engine.plan.LoadResult;
import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spec.SpecLoader;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.StepState;
import dev.runctl.engine.testing.EngineHarness;
import dev.runctl.steps.deps.DepsStep;
import dev.runctl.steps.provision.ProvisionStep;
import dev.runctl.steps.run.RunStep;
import dev.runctl.steps.sync.SyncStep;
import dev.runctl.steps.teardown.TeardownStep;
import dev.runctl.steps.train.TrainStep;
import dev.runctl.steps.verify.VerifyStep;
import dev.runctl.targets.local.LocalTargetProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A project folder with a spec, loaded by the real spec loader and run by the real executor against
 * the real local target, in this JVM; the state folder lives in the project.
 */
public final class SpecRun {
  public static final Registry REGISTRY =
      new Registry(
          List.of(
              new ProvisionStep(),
              new SyncStep(),
              new DepsStep(),
              new TrainStep(),
              new VerifyStep(),
              new TeardownStep(),
              new RunStep()),
          List.of(new LocalTargetProvider()));

  private final Path project;
  private final EngineHarness harness;

  public SpecRun(Path project) {
    this.project = project;
    this.harness = new EngineHarness(project.resolve(".runctl")).processEnv(System.getenv());
  }

  public Path project() {
    return project;
  }

  public EngineHarness harness() {
    return harness;
  }

  /** Writes {@code text} to {@code relative} under the project; returns its path. */
  public Path write(String relative, String text) {
    try {
      Path p = project.resolve(relative);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Copies a file of this repository (e.g. training/tiny_mlp.py) into the project. */
  public void copyFromRepo(String relative) {
    Path repo = Path.of("").toAbsolutePath();
    while (!Files.exists(repo.resolve(relative)) && repo.getParent() != null) {
      repo = repo.getParent();
    }
    try {
      Files.createDirectories(project.resolve(relative).getParent());
      Files.copy(
          repo.resolve(relative),
          project.resolve(relative),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Plan plan(String specText) {
    Path spec = write("job.yaml", specText);
    LoadResult r =
        new dev.runctl.engine.plan.Planner(REGISTRY).plan(new SpecLoader(REGISTRY).load(spec));
    if (r instanceof LoadResult.Invalid inv) {
      throw new AssertionError(
          "spec invalid:\n"
              + String.join("\n", inv.diagnostics().stream().map(Diagnostic::render).toList()));
    }
    return ((LoadResult.Loaded) r).plan();
  }

  public List<Diagnostic> problems(String specText) {
    Path spec = write("job.yaml", specText);
    LoadResult r =
        new dev.runctl.engine.plan.Planner(REGISTRY).plan(new SpecLoader(REGISTRY).load(spec));
    return r.diagnostics();
  }

  public RunResult apply(String specText) throws InterruptedException {
    return harness.apply(plan(specText));
  }

  public RunState state(String runId) {
    return harness.state(runId);
  }

  public StepState step(String runId, String stepId) {
    return state(runId).step(stepId).orElseThrow();
  }

  public Map<String, String> outputs(String runId, String stepId) {
    return step(runId, stepId).outputs();
  }

  public Path runDir(String runId) {
    return harness.store().existing(runId).dir();
  }

  public String log(String runId, String stepId) {
    try {
      return Files.readString(harness.store().existing(runId).log(stepId));
    } catch (IOException e) {
      return "";
    }
  }

  /** Fails with the run's step states and logs when it did not end as expected. */
  public void assertStatus(RunResult r, String status) {
    if (!r.status().name().equalsIgnoreCase(status)) {
      StringBuilder b =
          new StringBuilder(
              "run " + r.runId() + " ended " + r.status() + " (" + r.reason() + ")\n");
      state(r.runId())
          .steps()
          .values()
          .forEach(s -> b.append(s).append('\n').append(log(r.runId(), s.id())).append('\n'));
      throw new AssertionError(b.toString());
    }
    assertThat(r.status().name()).isEqualToIgnoringCase(status);
  }
}
