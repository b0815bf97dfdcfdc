package dev.runctl.engine.spi;

/** The end of an attached command: its exit code and the last lines of its output, for messages. */
public record ExecResult(int exitCode, String tail) {
  public boolean ok() {
    return exitCode == 0;
  }
}
