package dev.runctl.engine.plan;

import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Diagnostics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;

/** What loading and planning a spec gives: a plan (with its warnings), or every problem found. */
public sealed interface LoadResult permits LoadResult.Loaded, LoadResult.Invalid {

  /** The diagnostics to show: the plan's warnings, or the errors (and warnings) found. */
  List<Diagnostic> diagnostics();

  record Loaded(Plan plan) implements LoadResult {
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

  /** Every diagnostic once, in the order of the file. */
  static Invalid invalid(List<Diagnostic> diagnostics) {
    List<Diagnostic> all = new ArrayList<>(new LinkedHashSet<>(diagnostics));
    all.sort(
        Comparator.comparingInt((Diagnostic d) -> d.position().line())
            .thenComparingInt(d -> d.position().column()));
    return new Invalid(all);
  }

  static Invalid invalid(Diagnostics diagnostics) {
    return invalid(diagnostics.all());
  }
}
