package dev.runctl.engine.spi;

import java.nio.file.Path;

/**
 * What a step type sees when it turns {@code with:} into its config: which step it is, the job's
 * workdir, the mapping, and where to report problems. At plan time ({@code planning}) strings may
 * still hold {@code ${{ }}} expressions, and checks that depend on them (a file that must exist)
 * are skipped for those values; at execution the engine calls configure again with every expression
 * resolved.
 */
public record ConfigureContext(
    Step step, Path workdir, ConfigNode.Mapping with, Diagnostics diagnostics, boolean planning) {

  /** The step being configured: its id, its type's name, and where it is in the spec. */
  public record Step(String id, String uses, Position position) {}

  public static boolean hasExpression(String value) {
    return value != null && value.contains("${{");
  }
}
