package dev.runctl.cli.sweep;

import java.util.List;
import java.util.Map;

/**
 * A sweep as it is written before its first child starts: every child's run id and combination, so
 * that a sweep killed at any point is resumed with the same children.
 *
 * @param specFile the spec file's path when the sweep was applied (its frozen text is in the
 *     sweep's folder)
 */
public record SweepRecord(
    String sweepId,
    String job,
    String specFile,
    String createdAt,
    int maxParallel,
    boolean failFast,
    List<Child> children) {

  public SweepRecord {
    children = List.copyOf(children);
  }

  /** One combination and the run that runs it; {@code index} counts from 1. */
  public record Child(int index, String runId, Map<String, String> combination) {
    public Child {
      combination =
          java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(combination));
    }
  }

  /** The id of child {@code index} (from 1): the sweep's id and the combination's number. */
  public static String childId(String sweepId, int index) {
    return sweepId + "-" + index;
  }
}
