package dev.runctl.cli;

/**
 * One thing a command tells the user. Implementations are records: in text mode {@link #text()} is
 * printed; with {@code --output json} the record is written as one JSON object whose first field is
 * {@code "type": type()}, followed by the record's components (Optional and null components that
 * are empty are left out). Give run events a {@code runId} component.
 */
public interface CliEvent {
  /** The JSON {@code type}: a short snake_case noun such as {@code step} or {@code run_started}. */
  String type();

  /** The human rendering: one or more lines, no trailing newline. Empty: print nothing. */
  String text();

  /** How {@link #text()} is coloured on a terminal; never part of the JSON. */
  default Tone tone() {
    return Tone.PLAIN;
  }
}
