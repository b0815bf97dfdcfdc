package dev.runctl.engine.spi;

import dev.runctl.engine.spec.Diagnostics;
import dev.runctl.engine.spec.TargetSpec;

/** A backend: {@code local}, {@code aws}. */
public interface TargetProvider {
  String name();

  /** Parses and checks the {@code target:} mapping, reporting every problem; no network calls. */
  TargetConfig configure(TargetSpec spec, Diagnostics diagnostics);

  Target open(TargetConfig config, TargetContext context);
}
