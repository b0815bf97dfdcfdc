package dev.runctl.engine.spec;

import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Diagnostics;
import java.util.List;
import java.util.Set;

/**
 * What {@link SpecLoader} gives: a spec bound into records (perhaps with errors already found, so
 * that planning can report every other problem in the same pass), or a file that could not be read
 * as a spec at all. The caller plans a bound spec ({@code Planner.plan}).
 */
public sealed interface SpecResult permits SpecResult.Bound, SpecResult.Refused {

  /**
   * @param locator positions of the spec's parts, for diagnostics found later
   * @param skip {@code "target"} and the ids of steps whose settings already failed the schema:
   *     their provider or type is not asked to configure them, so that one mistake is reported once
   * @param diagnostics the problems found so far; planning adds to them
   */
  record Bound(JobSpec job, SpecLocator locator, Set<String> skip, Diagnostics diagnostics)
      implements SpecResult {
    public Bound {
      skip = Set.copyOf(skip);
    }
  }

  /** Not a spec: unreadable, not YAML, not a mapping. */
  record Refused(List<Diagnostic> diagnostics) implements SpecResult {
    public Refused {
      diagnostics = List.copyOf(diagnostics);
    }
  }
}
