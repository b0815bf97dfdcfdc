package dev.runctl.engine.testing;

import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.plan.PlannedStep;
import dev.runctl.engine.spec.BudgetSpec;
import dev.runctl.engine.spec.JobSpec;
import dev.runctl.engine.spec.RetrySpec;
import dev.runctl.engine.spec.StepSpec;
import dev.runctl.engine.spec.When;
import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.StepType;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.engine.spi.TargetSettings;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds {@link Plan}s in code, without the spec loader: steps in order, {@code needs} defaulting
 * to the step before (as in a spec), settings as plain maps and lists.
 */
public final class TestPlans {
  private final String name;
  private final Path workdir;
  private TargetProvider provider = new FakeTargetProvider(new FakeTarget());
  private BudgetSpec budget = BudgetSpec.NONE;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final List<StepBuilder> steps = new ArrayList<>();

  private TestPlans(String name, Path workdir) {
    this.name = name;
    this.workdir = workdir;
  }

  public static TestPlans job(String name, Path workdir) {
    return new TestPlans(name, workdir);
  }

  public TestPlans target(TargetProvider p) {
    this.provider = p;
    return this;
  }

  public TestPlans maxDuration(Duration d) {
    budget = new BudgetSpec(Optional.of(d), budget.maxCost());
    return this;
  }

  public TestPlans maxCost(BigDecimal usd) {
    budget = new BudgetSpec(budget.maxDuration(), Optional.of(usd));
    return this;
  }

  public TestPlans env(String k, String v) {
    env.put(k, v);
    return this;
  }

  public StepBuilder step(String id, StepType<?> type) {
    StepBuilder b = new StepBuilder(id, type);
    if (!steps.isEmpty()) {
      b.needs.add(steps.get(steps.size() - 1).id);
    }
    steps.add(b);
    return b;
  }

  /** One step's settings. */
  public final class StepBuilder {
    private final String id;
    private final StepType<?> type;
    private List<String> needs = new ArrayList<>();
    private When when = When.ON_SUCCESS;
    private Optional<Duration> timeout = Optional.empty();
    private RetrySpec retry = RetrySpec.defaults(1);
    private final Map<String, Object> with = new LinkedHashMap<>();
    private final Map<String, String> stepEnv = new LinkedHashMap<>();

    private StepBuilder(String id, StepType<?> type) {
      this.id = id;
      this.type = type;
      this.retry = RetrySpec.defaults(type.defaultMaxAttempts());
    }

    public StepBuilder needs(String... ids) {
      needs = new ArrayList<>(List.of(ids));
      return this;
    }

    public StepBuilder when(When w) {
      when = w;
      return this;
    }

    public StepBuilder timeout(Duration d) {
      timeout = Optional.of(d);
      return this;
    }

    public StepBuilder retry(int maxAttempts, Duration initial, ErrorClass... on) {
      retry =
          new RetrySpec(
              maxAttempts,
              initial,
              2.0,
              Duration.ofMinutes(5),
              on.length == 0 ? RetrySpec.DEFAULT_ON : Set.of(on));
      return this;
    }

    public StepBuilder with(String key, Object value) {
      with.put(key, value);
      return this;
    }

    public StepBuilder env(String k, String v) {
      stepEnv.put(k, v);
      return this;
    }

    public StepBuilder step(String nextId, StepType<?> nextType) {
      return TestPlans.this.step(nextId, nextType);
    }

    public Plan build() {
      return TestPlans.this.build();
    }
  }

  public Plan build() {
    Path file = workdir.resolve(name + ".yaml");
    List<StepSpec> specs = new ArrayList<>();
    for (StepBuilder b : steps) {
      specs.add(
          new StepSpec(
              b.id,
              b.type.name(),
              b.needs,
              b.when,
              b.timeout,
              b.retry,
              b.stepEnv,
              (ConfigNode.Mapping) node(b.with),
              Position.UNKNOWN));
    }
    JobSpec job =
        new JobSpec(
            file,
            "# built in a test\n",
            name,
            "",
            workdir,
            new TargetSettings(
                provider.name(), ConfigNode.Mapping.empty(Position.UNKNOWN), Position.UNKNOWN),
            env,
            budget,
            specs);
    Diagnostics d = new Diagnostics();
    Map<String, Integer> waves = new HashMap<>();
    List<PlannedStep> planned = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      StepSpec s = specs.get(i);
      int wave = s.needs().stream().mapToInt(n -> waves.get(n) + 1).max().orElse(0);
      waves.put(s.id(), wave);
      var config =
          steps
              .get(i)
              .type
              .configure(new ConfigureContext(s.ref(), job.workdir(), s.with(), d, true));
      planned.add(new PlannedStep(s, steps.get(i).type, config, wave));
    }
    if (d.hasErrors()) {
      throw new IllegalArgumentException("invalid test plan: " + d.all());
    }
    return new Plan(job, provider, provider.configure(job.target(), d), planned, List.of());
  }

  /** A value as a config tree: maps, lists, and scalars (strings, numbers, booleans). */
  public static ConfigNode node(Object v) {
    Position p = Position.UNKNOWN;
    if (v instanceof Map<?, ?> m) {
      Map<String, ConfigNode> e = new LinkedHashMap<>();
      Map<String, Position> keys = new LinkedHashMap<>();
      m.forEach(
          (k, x) -> {
            e.put(k.toString(), node(x));
            keys.put(k.toString(), p);
          });
      return new ConfigNode.Mapping(e, keys, p);
    }
    if (v instanceof List<?> l) {
      return new ConfigNode.Seq(l.stream().map(TestPlans::node).toList(), p);
    }
    if (v instanceof Boolean) {
      return new ConfigNode.Scalar(v.toString(), ConfigNode.Kind.BOOL, p);
    }
    if (v instanceof Integer || v instanceof Long) {
      return new ConfigNode.Scalar(v.toString(), ConfigNode.Kind.INT, p);
    }
    return ConfigNode.Scalar.string(String.valueOf(v), p);
  }
}
