package dev.runctl.engine.exec;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import java.util.List;

/** Resume found succeeded steps whose inputs changed since (exit code 4). */
public final class ChangedInputsException extends RunctlException {
  private static final long serialVersionUID = 1L;
  private final List<String> steps;

  public ChangedInputsException(String runId, List<String> steps) {
    super(
        ErrorCategory.CHANGED_INPUTS,
        "the inputs of "
            + (steps.size() == 1 ? "step " : "steps ")
            + String.join(", ", steps.stream().map(s -> "'" + s + "'").toList())
            + " changed since "
            + (steps.size() == 1 ? "it" : "they")
            + " succeeded in run "
            + runId,
        "run `runctl resume " + runId + " --rerun-changed` to run them and what follows them again",
        null);
    this.steps = List.copyOf(steps);
  }

  public List<String> steps() {
    return steps;
  }
}
