package dev.runctl.engine.spi;

import dev.runctl.engine.spec.JobSpec;
import dev.runctl.engine.spec.StepSpec;

/**
 * What a step type sees when it turns {@code with:} into its config. At plan time ({@code
 * planning}) strings may still hold {@code ${{ }}} expressions, and checks that depend on them (a
 * file that must exist) are skipped for those values; at execution the engine calls configure again
 * with every expression resolved.
 */
public record ConfigureContext(
    JobSpec job,
    StepSpec step,
    ConfigNode.Mapping with,
    Diagnostics diagnostics,
    boolean planning) {

  public static boolean hasExpression(String value) {
    return value != null && value.contains("${{");
  }
}
