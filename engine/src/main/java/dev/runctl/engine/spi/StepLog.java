package dev.runctl.engine.spi;

import java.nio.file.Path;

/**
 * A step's log ({@code logs/<step>.log} in the run folder), shown live by apply and by {@code
 * runctl logs --follow}. Known secret values are masked before anything is written.
 */
public interface StepLog {
  /** One line of runctl's own narration. */
  void line(String text);

  /** Raw output of a command the step runs (pip, the training script), passed through. */
  void output(byte[] bytes, int offset, int length);

  /** The log file, for tailing. */
  Path file();
}
