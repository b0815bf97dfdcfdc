package dev.runctl.engine.state;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import java.nio.file.Path;

/**
 * A journal with a bad line that is not a torn write from a crash (a line in the middle, or a
 * complete last line that is not a record): something other than runctl changed the file.
 */
public final class JournalDamagedException extends RunctlException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final int line;
  private final String problem;

  JournalDamagedException(Path file, int line, String problem) {
    super(
        ErrorCategory.STATE,
        file + ":" + line + ": the journal is damaged (" + problem + ")",
        "this is not a torn write from a crash; restore the file from a backup, or start a new run"
            + " with `runctl apply` (and remove this one with `rm -r "
            + file.getParent()
            + "`)",
        null);
    this.file = file;
    this.line = line;
    this.problem = problem;
  }

  public Path file() {
    return file;
  }

  /** The number of the bad line, from 1. */
  public int line() {
    return line;
  }

  /** What is wrong with the line. */
  public String problem() {
    return problem;
  }
}
