package dev.runctl.engine.plan;

import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spec.JobSpec;
import dev.runctl.engine.spec.SpecLocator;
import dev.runctl.engine.spec.SpecResult;
import dev.runctl.engine.spec.StepSpec;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Severity;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepType;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetProvider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A bound {@link JobSpec} to an immutable {@link Plan}: the target configured by its provider, each
 * step's {@code with:} configured by its type (planning, expressions unresolved), cycles reported
 * with the steps on them, expressions and required files checked, and the steps put in a
 * deterministic topological order with waves. Every problem goes to the diagnostics; a plan comes
 * back only when there is no error.
 */
public final class Planner {
  private final Registry registry;
  private final Map<String, String> environment;

  public Planner(Registry registry) {
    this(registry, System.getenv());
  }

  /** {@code environment}: what {@code ${{ env.X }}} will read (runctl's own environment). */
  public Planner(Registry registry, Map<String, String> environment) {
    this.registry = registry;
    this.environment = Map.copyOf(environment);
  }

  /**
   * Plans what {@link dev.runctl.engine.spec.SpecLoader} loaded: a plan when neither loading nor
   * planning found an error, else every problem, in the order of the file.
   */
  public LoadResult plan(SpecResult loaded) {
    if (loaded instanceof SpecResult.Refused refused) {
      return LoadResult.invalid(refused.diagnostics());
    }
    SpecResult.Bound bound = (SpecResult.Bound) loaded;
    Diagnostics diagnostics = bound.diagnostics();
    Optional<Plan> plan = plan(bound.job(), bound.locator(), bound.skip(), diagnostics);
    return plan.isPresent() && !diagnostics.hasErrors()
        ? new LoadResult.Loaded(plan.get())
        : LoadResult.invalid(diagnostics);
  }

  /** Plans a job bound without a tree at hand; positions fall back to the steps' own. */
  public Optional<Plan> plan(JobSpec job, Diagnostics diagnostics) {
    return plan(job, SpecLocator.none(job.file().toString()), Set.of(), diagnostics);
  }

  /**
   * @param skip {@code "target"} and step ids whose settings already failed the schema: their
   *     provider or type is not asked to configure them, so that one mistake is reported once
   */
  public Optional<Plan> plan(
      JobSpec job, SpecLocator locator, Set<String> skip, Diagnostics diagnostics) {
    Optional<TargetProvider> provider = registry.target(job.target().provider());
    Optional<TargetConfig> target = Optional.empty();
    if (provider.isPresent() && !skip.contains("target")) {
      target =
          guarded(
              () -> provider.get().configure(job.target(), diagnostics),
              "target provider '" + provider.get().name() + "'",
              job.target().position(),
              diagnostics);
    }
    StepGraph graph = new StepGraph(job.steps());
    for (List<String> cycle : graph.cycles()) {
      String last = cycle.get(cycle.size() - 2);
      diagnostics.error(
          locator.need(cycle.get(0), last).orElse(locator.root()),
          "dependency cycle: " + String.join(" -> ", cycle),
          "remove one of these needs so that every step can start after the ones it needs");
    }
    Map<String, StepConfig> configs = new LinkedHashMap<>();
    for (StepSpec step : job.steps()) {
      Optional<StepType<?>> type = registry.stepType(step.uses());
      if (type.isEmpty() || skip.contains(step.id())) {
        continue;
      }
      Diagnostics own = new Diagnostics();
      guarded(
              () ->
                  type.get()
                      .configure(
                          new ConfigureContext(step.ref(), job.workdir(), step.with(), own, true)),
              "step type '" + step.uses() + "'",
              step.position(),
              diagnostics)
          .ifPresent(c -> configs.put(step.id(), c));
      // an unknown key the schema reported already is not reported again by the step type
      own.all().stream().filter(d -> !reported(diagnostics, d)).forEach(diagnostics::add);
    }
    new ExpressionChecker(job, registry, graph, locator, diagnostics, environment).checkAll();
    new RequiredFiles(job, diagnostics).check(configs);
    PlanReviews.review(job, registry, configs, diagnostics);
    if (diagnostics.hasErrors() || target.isEmpty() || provider.isEmpty()) {
      return Optional.empty();
    }
    AheadSteps.Expanded expanded = AheadSteps.expand(job.steps(), registry, target.get(), configs);
    if (!expanded.types().isEmpty()) {
      graph = new StepGraph(expanded.steps());
      configs.putAll(expanded.configs());
    }
    List<String> order = graph.topologicalOrder();
    Map<String, Integer> waves = graph.waves(order);
    List<PlannedStep> steps = new ArrayList<>();
    Map<String, StepSpec> byId = new java.util.HashMap<>();
    expanded.steps().forEach(s -> byId.putIfAbsent(s.id(), s));
    for (String id : order) {
      StepSpec spec = byId.get(id);
      StepType<?> type =
          expanded.types().containsKey(id)
              ? expanded.types().get(id)
              : registry.stepType(spec.uses()).orElseThrow();
      steps.add(new PlannedStep(spec, type, configs.get(id), waves.get(id)));
    }
    BudgetCheck.check(job, target.get(), diagnostics);
    List<Diagnostic> warnings =
        diagnostics.all().stream().filter(d -> d.severity() == Severity.WARNING).toList();
    return Optional.of(new Plan(job, provider.get(), target.get(), steps, warnings));
  }

  /** An error was already reported at the place {@code d} points at. */
  private static boolean reported(Diagnostics diagnostics, Diagnostic d) {
    return d.severity() == Severity.ERROR
        && diagnostics.all().stream()
            .anyMatch(o -> o.severity() == Severity.ERROR && o.position().equals(d.position()));
  }

  /**
   * Runs a provider's or step type's configure; a crash there (a bug, not a user error) becomes a
   * diagnostic instead of a stack trace.
   */
  private static <T> Optional<T> guarded(
      java.util.function.Supplier<T> configure,
      String who,
      dev.runctl.engine.spi.Position at,
      Diagnostics diagnostics) {
    try {
      T value = configure.get();
      if (value == null) {
        diagnostics.error(at, who + " gave no settings", "this is a bug in runctl; report it");
      }
      return Optional.ofNullable(value);
    } catch (dev.runctl.engine.RunctlException e) {
      diagnostics.error(at, e.getMessage(), e.hint().orElse(null));
      return Optional.empty();
    } catch (RuntimeException e) {
      diagnostics.error(
          at,
          who + " could not read these settings: " + e,
          "this is a bug in runctl; run with --debug and report it with the spec");
      return Optional.empty();
    }
  }
}
