package dev.runctl.cli;

import dev.runctl.engine.state.StepStatus;
import java.time.Duration;

/**
 * The rows of the live display: a step's mark (coloured by its outcome), id, state, attempt,
 * elapsed time and its note's first line, cut to the terminal's width.
 */
final class StepRows {
  private final int width;
  private final boolean colour;

  StepRows(int width, boolean colour) {
    this.width = width;
    this.colour = colour;
  }

  /** The row of a step that has ended or not started: its mark by status. */
  String ended(String id, StepStatus status, int attempt, Duration took, String note) {
    boolean ran = status != StepStatus.PENDING && attempt > 0;
    return row(mark(status), tone(status), id, status.label(), attempt, ran ? took : null, note);
  }

  String running(String id, int attempt, Duration elapsed, String note) {
    return row("▶", Tone.PLAIN, id, "running", attempt, elapsed, note);
  }

  /** A plain line cut to the width. */
  String cut(String line) {
    return line.length() > width ? line.substring(0, width) : line;
  }

  private String row(
      String mark, Tone tone, String id, String state, int attempt, Duration d, String note) {
    String first = note == null ? "" : note.lines().findFirst().orElse("");
    String rest =
        String.format(
            "%-20s %-10s attempt %-3s %8s  %s",
            id,
            state,
            attempt > 0 ? Integer.toString(attempt) : "-",
            d == null ? "-" : RunLines.elapsed(d),
            first);
    String shown = rest.length() > width - 4 ? rest.substring(0, Math.max(0, width - 4)) : rest;
    return "  " + tone.paint(mark, colour) + " " + shown;
  }

  private static String mark(StepStatus s) {
    return switch (s) {
      case SUCCEEDED -> "✓";
      case FAILED -> "✗";
      case SKIPPED -> "-";
      case CANCELLED -> "■";
      default -> "·";
    };
  }

  private static Tone tone(StepStatus s) {
    return switch (s) {
      case SUCCEEDED -> Tone.SUCCESS;
      case FAILED -> Tone.FAILURE;
      case CANCELLED -> Tone.WARNING;
      default -> Tone.PLAIN;
    };
  }
}
