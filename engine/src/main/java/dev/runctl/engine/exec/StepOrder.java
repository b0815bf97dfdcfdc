package dev.runctl.engine.exec;

import dev.runctl.engine.plan.PlannedStep;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each step of a run process waits for, derived from {@code needs} and the steps that had
 * ended before the process started (a resume's succeeded steps):
 *
 * <ul>
 *   <li>A step needs the steps it needs, and through a step that had ended already, what that step
 *       needs in turn: when a resume sets the machine up again under a succeeded train, the verify
 *       after the train waits for the set-up, as it did the first time. So no step ever starts
 *       before a step upstream of it that runs in the same process has ended.
 *   <li>A step that gives the machine back ({@code releasesMachine()}) also waits for every step
 *       that is not downstream of it (for two such steps, the later in plan order for the earlier
 *       one): nothing can still be using the machine when it goes.
 * </ul>
 *
 * Steps that had ended are waited for by nobody; they are not scheduled.
 */
final class StepOrder {
  /** The steps whose end decides a step ({@code when}), and all the steps it waits for. */
  record Waits(List<String> needs, List<String> all) {}

  private final Map<String, Waits> waits = new HashMap<>();

  StepOrder(List<PlannedStep> plan, Set<String> endedBefore) {
    Map<String, List<String>> effective = new HashMap<>();
    Map<String, List<String>> dependents = new HashMap<>();
    for (PlannedStep s : plan) {
      List<String> needs = s.spec().needs();
      for (String n : needs) {
        dependents.computeIfAbsent(n, k -> new ArrayList<>()).add(s.id());
      }
      if (!endedBefore.isEmpty() && anyIn(needs, endedBefore)) {
        Set<String> through = new LinkedHashSet<>();
        for (String n : needs) {
          if (endedBefore.contains(n)) {
            through.addAll(effective.get(n));
          } else {
            through.add(n);
          }
        }
        needs = List.copyOf(through);
      }
      effective.put(s.id(), needs);
    }
    Set<String> releasersSoFar = new HashSet<>();
    for (PlannedStep s : plan) {
      List<String> needs = effective.get(s.id());
      List<String> all = needs;
      if (s.type().releasesMachine()) {
        Set<String> downstream = downstreamOf(s.id(), dependents);
        Set<String> after = new LinkedHashSet<>(needs);
        for (PlannedStep o : plan) {
          boolean laterReleaser = o.type().releasesMachine() && !releasersSoFar.contains(o.id());
          if (!o.id().equals(s.id())
              && !downstream.contains(o.id())
              && !endedBefore.contains(o.id())
              && !laterReleaser) {
            after.add(o.id());
          }
        }
        all = List.copyOf(after);
        releasersSoFar.add(s.id());
      }
      waits.put(s.id(), new Waits(needs, all));
    }
  }

  private static boolean anyIn(List<String> ids, Set<String> set) {
    for (String id : ids) {
      if (set.contains(id)) {
        return true;
      }
    }
    return false;
  }

  Waits of(String id) {
    return waits.get(id);
  }

  private static Set<String> downstreamOf(String id, Map<String, List<String>> dependents) {
    Set<String> out = new HashSet<>();
    ArrayDeque<String> todo = new ArrayDeque<>(List.of(id));
    while (!todo.isEmpty()) {
      Collection<String> next = dependents.getOrDefault(todo.poll(), List.of());
      for (String d : next) {
        if (out.add(d)) {
          todo.add(d);
        }
      }
    }
    return out;
  }
}
