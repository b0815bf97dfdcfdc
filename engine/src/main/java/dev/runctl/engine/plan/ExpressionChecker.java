package dev.runctl.engine.plan;

import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spec.JobSpec;
import dev.runctl.engine.spec.SpecLocator;
import dev.runctl.engine.spec.StepSpec;
import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.StepType;
import dev.runctl.engine.spi.Suggestions;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Plan-time checks of {@code ${{ }}} expressions under {@code with:} and {@code env:}: the form,
 * the step named, the output named (it must be one the step's type declares), and that the step
 * named runs upstream of the one that uses it; a variable {@code ${{ env.X }}} names that is not
 * set is a warning.
 */
final class ExpressionChecker {
  private static final String FORMS =
      "write ${{ steps.<id>.outputs.<key> }}, ${{ run.id }}, ${{ env.<NAME> }} or"
          + " ${{ matrix.<name> }}";

  private final JobSpec job;
  private final java.util.Map<String, StepSpec> byId;
  private final Registry registry;
  private final StepGraph graph;
  private final SpecLocator locator;
  private final Diagnostics diagnostics;
  private final java.util.Map<String, String> environment;

  /** {@code environment}: runctl's own, which {@code ${{ env.X }}} reads at execution. */
  ExpressionChecker(
      JobSpec job,
      Registry registry,
      StepGraph graph,
      SpecLocator locator,
      Diagnostics d,
      java.util.Map<String, String> environment) {
    this.environment = environment;
    this.job = job;
    this.byId = job.stepsById();
    this.registry = registry;
    this.graph = graph;
    this.locator = locator;
    this.diagnostics = d;
  }

  void checkAll() {
    locator.env(Optional.empty()).ifPresent(env -> walk(env, Optional.empty()));
    for (StepSpec step : job.steps()) {
      walk(step.with(), Optional.of(step));
      Optional<ConfigNode.Mapping> env = locator.env(Optional.of(step.id()));
      if (env.isPresent()) {
        walk(env.get(), Optional.of(step));
      } else {
        step.env().values().forEach(v -> check(v, step.position(), Optional.of(step)));
      }
    }
  }

  private void walk(ConfigNode node, Optional<StepSpec> step) {
    if (node instanceof ConfigNode.Scalar s) {
      if (s.kind() == ConfigNode.Kind.STRING) {
        check(s.value(), s.position(), step);
      }
    } else if (node instanceof ConfigNode.Seq q) {
      q.items().forEach(i -> walk(i, step));
    } else {
      ((ConfigNode.Mapping) node).entries().values().forEach(v -> walk(v, step));
    }
  }

  private void check(String text, Position at, Optional<StepSpec> step) {
    if (text == null || !text.contains("${{")) {
      return;
    }
    List<Expressions.Ref> refs = Expressions.references(text);
    if (count(text, "${{") > refs.size()) {
      diagnostics.error(at, "expression in '" + text + "' is not closed with '}}'", FORMS);
    }
    for (Expressions.Ref ref : refs) {
      if (ref instanceof Expressions.Invalid) {
        diagnostics.error(at, "malformed expression ${{ " + ref.text() + " }}", FORMS);
      } else if (ref instanceof Expressions.StepOutput out) {
        stepOutput(out, at, step);
      } else if (ref instanceof Expressions.Matrix m) {
        matrix(m, at);
      } else if (ref instanceof Expressions.Env env && !environment.containsKey(env.name())) {
        diagnostics.warning(
            at,
            "${{ env." + env.name() + " }}: " + env.name() + " is not set in this environment",
            "export "
                + env.name()
                + " in the environment that runs runctl; a step that uses it fails when it"
                + " starts without it");
      }
    }
  }

  private void stepOutput(Expressions.StepOutput out, Position at, Optional<StepSpec> user) {
    Optional<StepSpec> source = Optional.ofNullable(byId.get(out.stepId()));
    String expr = "${{ " + out.text() + " }}";
    if (source.isEmpty()) {
      diagnostics.error(
          at,
          expr + " refers to step '" + out.stepId() + "', which is not a step of this job",
          Suggestions.didYouMean(out.stepId(), job.steps().stream().map(StepSpec::id).toList())
              .orElse("name one of the job's step ids"));
      return;
    }
    Optional<StepType<?>> type = registry.stepType(source.get().uses());
    if (type.isPresent() && !type.get().declaresOutput(out.key())) {
      TreeSet<String> declared = new TreeSet<>(type.get().outputs());
      diagnostics.error(
          at,
          expr
              + ": step '"
              + out.stepId()
              + "' (uses: "
              + source.get().uses()
              + ") has no output '"
              + out.key()
              + "'",
          Suggestions.didYouMean(out.key(), declared)
              .orElse(
                  declared.isEmpty()
                      ? "this step type declares no outputs"
                      : "its outputs: " + String.join(", ", declared)));
    }
    if (user.isEmpty()) {
      diagnostics.error(
          at,
          expr + ": the job's env cannot use a step's outputs",
          "move the variable into the env: of a step that runs after '" + out.stepId() + "'");
    } else if (!graph.upstream(user.get().id()).contains(out.stepId())) {
      diagnostics.error(
          at,
          expr + ": step '" + out.stepId() + "' does not run before '" + user.get().id() + "'",
          "add '"
              + out.stepId()
              + "' to the needs of '"
              + user.get().id()
              + "' (directly or through a step it needs)");
    }
  }

  private void matrix(Expressions.Matrix m, Position at) {
    String expr = "${{ " + m.text() + " }}";
    if (job.matrix().isEmpty()) {
      diagnostics.error(
          at,
          expr + ": this spec has no matrix:",
          "add matrix: {" + m.name() + ": [...]} at the top to make it a sweep");
      return;
    }
    java.util.Set<String> names = job.matrix().get().names();
    if (!names.contains(m.name())) {
      diagnostics.error(
          at,
          expr + " names no value of the matrix; it has " + String.join(", ", names),
          Suggestions.didYouMean(m.name(), names)
              .orElse("use one of: " + String.join(", ", names)));
    }
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length())) {
      n++;
    }
    return n;
  }
}
