package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.plan.Expressions;
import dev.runctl.engine.plan.Plan;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The variables a run's spec reads from runctl's environment ({@code ${{ env.X }}}) must be set
 * where it resumes: runctl keeps no copy of their values (not in the journal, not in a shared
 * state's bucket), so a resume on another machine reads them there. Without one, the resume stops
 * before any step, naming it: a step that needs it would fail, and so would a teardown under a job
 * whose {@code env:} reads it, leaving the machine up.
 */
final class ResumeEnvironment {
  private ResumeEnvironment() {}

  /** {@code kind} and {@code id}: the run or sweep resumed ("run", "sweep"). */
  static void require(String kind, String id, Plan plan, Map<String, String> environment) {
    Set<String> missing = new TreeSet<>(Expressions.environmentNames(plan.job().source()));
    missing.removeAll(environment.keySet());
    if (missing.isEmpty()) {
      return;
    }
    String names = String.join(", ", missing);
    throw new RunctlException(
        ErrorCategory.ENVIRONMENT,
        kind
            + " "
            + id
            + " reads "
            + names
            + " from the environment (${{ env."
            + missing.iterator().next()
            + " }} in its spec), and "
            + (missing.size() == 1 ? "it is" : "they are")
            + " not set on this machine; nothing was resumed",
        "export "
            + names
            + " as on the machine that started the "
            + kind
            + ", then resume again: runctl keeps no copy of"
            + " such values");
  }
}
