package dev.runctl.engine.plan;

import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spec.StepSpec;
import dev.runctl.engine.spi.AheadStep;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepType;
import dev.runctl.engine.spi.TargetConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The steps of a job with the parts their types do ahead of the machine ({@link AheadStep}) made
 * steps of their own: each right before its step in the spec's order (so the plan's order breaks
 * ties the same way), needing what its step needs but the steps that set the machine up, and needed
 * by its step. Which steps have such a part is the types' answer for the target, never the
 * engine's.
 */
final class AheadSteps {
  /** The steps, inserted ones included, and the type and config of each inserted one. */
  record Expanded(
      List<StepSpec> steps, Map<String, StepType<?>> types, Map<String, StepConfig> configs) {}

  private AheadSteps() {}

  static Expanded expand(
      List<StepSpec> steps,
      Registry registry,
      TargetConfig target,
      Map<String, StepConfig> configs) {
    Map<String, Boolean> setsUpMachine = new HashMap<>();
    for (StepSpec s : steps) {
      StepConfig c = configs.get(s.id());
      setsUpMachine.put(
          s.id(),
          registry.stepType(s.uses()).map(StepType::machineState).orElse(false)
              || (c != null && c.machineState()));
    }
    Map<String, StepSpec> byId = new HashMap<>();
    steps.forEach(s -> byId.putIfAbsent(s.id(), s));
    Map<String, String> aheadIds = new HashMap<>();
    for (StepSpec s : steps) {
      registry
          .stepType(s.uses())
          .flatMap(t -> t.ahead(target))
          .filter(a -> configs.containsKey(s.id()))
          .ifPresent(a -> aheadIds.put(s.id(), a.idOf(s.id())));
    }
    Context ctx = new Context(byId, setsUpMachine, aheadIds);
    List<StepSpec> out = new ArrayList<>();
    Map<String, StepType<?>> types = new HashMap<>();
    Map<String, StepConfig> aheadConfigs = new HashMap<>();
    for (StepSpec s : steps) {
      Optional<AheadStep> ahead = registry.stepType(s.uses()).flatMap(t -> t.ahead(target));
      if (ahead.isEmpty() || !configs.containsKey(s.id())) {
        out.add(s);
        continue;
      }
      String id = ahead.get().idOf(s.id());
      List<String> needs = new ArrayList<>(new java.util.LinkedHashSet<>(aheadNeeds(s, ctx)));
      out.add(
          new StepSpec(
              id,
              ahead.get().type().name(),
              needs,
              s.when(),
              s.timeout(),
              s.retry(),
              s.env(),
              s.with(),
              s.position()));
      List<String> ownerNeeds = new ArrayList<>(s.needs());
      ownerNeeds.add(id);
      out.add(
          new StepSpec(
              s.id(),
              s.uses(),
              ownerNeeds,
              s.when(),
              s.timeout(),
              s.retry(),
              s.env(),
              s.with(),
              s.position()));
      types.put(id, ahead.get().type());
      aheadConfigs.put(id, configs.get(s.id()));
    }
    return new Expanded(out, types, aheadConfigs);
  }

  private record Context(
      Map<String, StepSpec> byId,
      Map<String, Boolean> setsUpMachine,
      Map<String, String> aheadIds) {}

  /**
   * What the part ahead of {@code step} waits for: each step it needs that does not set the machine
   * up; for one that does, its own part ahead when it has one (a second sync's upload follows the
   * first's), else what that step needs, the same way (provision: nothing).
   */
  private static List<String> aheadNeeds(StepSpec step, Context ctx) {
    List<String> out = new ArrayList<>();
    for (String need : step.needs()) {
      if (!ctx.setsUpMachine().getOrDefault(need, false)) {
        out.add(need);
      } else if (ctx.aheadIds().containsKey(need)) {
        out.add(ctx.aheadIds().get(need));
      } else if (ctx.byId().containsKey(need)) {
        out.addAll(aheadNeeds(ctx.byId().get(need), ctx));
      }
    }
    return out;
  }
}
