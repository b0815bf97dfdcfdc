package dev.runctl.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spec.SpecLoader;
import dev.runctl.engine.spec.fixtures.FixtureStepType;
import dev.runctl.engine.spi.AheadStep;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.engine.spi.TargetSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A step type that declares a part it does ahead of the machine gets it as a step of its own, on a
 * target that can take it, and only there: the planner asks the types and the target's config, and
 * knows no target by name.
 */
class AheadStepsTest {
  private static final Path VALID = Path.of("src/test/resources/specs/valid");

  @Test
  void theUploadRunsBesideProvisionAndTheSyncWaitsForBoth() {
    Plan plan = plan(true);
    assertThat(plan.steps().stream().map(PlannedStep::id))
        .containsExactly("provision", "sync.upload", "sync", "deps", "train", "verify", "teardown");
    PlannedStep upload = plan.step("sync.upload").orElseThrow();
    assertThat(upload.type().name()).isEqualTo("upload-fixture");
    assertThat(upload.spec().needs()).as("nothing the machine gives").isEmpty();
    assertThat(upload.wave()).isZero();
    assertThat(upload.config()).isSameAs(plan.step("sync").orElseThrow().config());
    assertThat(upload.spec().timeout()).isEqualTo(plan.step("sync").orElseThrow().spec().timeout());
    assertThat(plan.step("sync").orElseThrow().spec().needs())
        .containsExactly("provision", "sync.upload");
    assertThat(plan.waves().get(0).stream().map(PlannedStep::id))
        .containsExactly("provision", "sync.upload");
  }

  @Test
  void aSecondSyncsUploadFollowsTheFirstsNotTheMachine() {
    Plan plan = plan(true, "two-syncs.yaml");
    assertThat(plan.step("resync.upload").orElseThrow().spec().needs())
        .as("the first sync's part ahead stands for the first sync")
        .containsExactly("sync.upload");
    assertThat(plan.step("resync").orElseThrow().spec().needs())
        .containsExactly("sync", "resync.upload");
    assertThat(plan.step("last.upload").orElseThrow().spec().needs())
        .as("a step that is not the machine's set-up is waited for")
        .containsExactly("work");
  }

  @Test
  void aTargetThatKeepsNoFilesApartGetsThePlanAsWritten() {
    Plan plan = plan(false);
    assertThat(plan.steps().stream().map(PlannedStep::id))
        .containsExactly("provision", "sync", "deps", "train", "verify", "teardown");
    assertThat(plan.step("sync").orElseThrow().spec().needs()).containsExactly("provision");
  }

  private static Plan plan(boolean staging) {
    return plan(staging, "pipeline.yaml");
  }

  private static Plan plan(boolean staging, String spec) {
    Registry registry = registry(staging);
    LoadResult result =
        new Planner(registry).plan(new SpecLoader(registry).load(VALID.resolve(spec)));
    assertThat(result.diagnostics()).filteredOn(d -> d.severity().name().equals("ERROR")).isEmpty();
    return ((LoadResult.Loaded) result).plan();
  }

  private static Registry registry(boolean staging) {
    List<StepType<?>> types = new ArrayList<>();
    for (StepType<?> t : FixtureStepType.all()) {
      FixtureStepType f = (FixtureStepType) t;
      types.add(
          switch (f.name()) {
            case "provision" -> new Wrapped(f, true, Optional.empty());
            case "sync" ->
                new Wrapped(
                    f,
                    true,
                    Optional.of(
                        new AheadStep(
                            "upload",
                            new Wrapped(f, false, Optional.empty()) {
                              @Override
                              public String name() {
                                return "upload-fixture";
                              }
                            })));
            default -> f;
          });
    }
    return new Registry(types, List.of(provider(staging)));
  }

  /** A fixture type that sets up the machine or not, and has a part ahead on a staging target. */
  private static class Wrapped implements StepType<StepConfig> {
    private final FixtureStepType base;
    private final boolean machine;
    private final Optional<AheadStep> ahead;

    Wrapped(FixtureStepType base, boolean machine, Optional<AheadStep> ahead) {
      this.base = base;
      this.machine = machine;
      this.ahead = ahead;
    }

    @Override
    public String name() {
      return base.name();
    }

    @Override
    public Set<String> outputs() {
      return base.outputs();
    }

    @Override
    public boolean machineState() {
      return machine;
    }

    @Override
    public Optional<AheadStep> ahead(TargetConfig target) {
      return target.stagesFiles() ? ahead : Optional.empty();
    }

    @Override
    public StepConfig configure(ConfigureContext ctx) {
      return base.configure(ctx);
    }

    @Override
    public StepResult execute(StepConfig config, StepContext ctx) {
      throw new UnsupportedOperationException("planning only");
    }
  }

  private static TargetProvider provider(boolean staging) {
    return new TargetProvider() {
      @Override
      public String name() {
        return "local";
      }

      @Override
      public TargetConfig configure(TargetSettings spec, Diagnostics diagnostics) {
        return new TargetConfig() {
          @Override
          public Map<String, String> describe() {
            return Map.of();
          }

          @Override
          public boolean stagesFiles() {
            return staging;
          }
        };
      }

      @Override
      public Target open(TargetConfig config, TargetContext context) {
        throw new IllegalStateException("planning only");
      }
    };
  }
}
