package dev.runctl.engine.spi;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects every problem found in one pass, so that a user sees them all at once. */
public final class Diagnostics {
  private final List<Diagnostic> items = new ArrayList<>();

  public void error(Position at, String message) {
    items.add(Diagnostic.error(at, message, null));
  }

  public void error(Position at, String message, String hint) {
    items.add(Diagnostic.error(at, message, hint));
  }

  public void warning(Position at, String message, String hint) {
    items.add(Diagnostic.warning(at, message, hint));
  }

  public void add(Diagnostic d) {
    items.add(d);
  }

  public boolean hasErrors() {
    return items.stream().anyMatch(d -> d.severity() == Severity.ERROR);
  }

  public List<Diagnostic> all() {
    return Collections.unmodifiableList(items);
  }
}
