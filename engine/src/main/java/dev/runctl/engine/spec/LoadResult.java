package dev.runctl.engine.spec;

import dev.runctl.engine.spi.Diagnostic;
import java.util.List;

/** What loading a spec gives: a plan (with its warnings), or every problem found. */
public sealed interface LoadResult permits LoadResult.Loaded, LoadResult.Invalid {

  /** The diagnostics to show: the plan's warnings, or the errors (and warnings) found. */
  List<Diagnostic> diagnostics();

  record Loaded(dev.runctl.engine.plan.Plan plan) implements LoadResult {
    @Override
    public List<Diagnostic> diagnostics() {
      return plan.warnings();
    }
  }

  record Invalid(List<Diagnostic> diagnostics) implements LoadResult {
    public Invalid {
      diagnostics = List.copyOf(diagnostics);
    }
  }
}
