package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.plan.LoadResult;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code runctl plan FILE}: validate a spec and show what apply would do; writes nothing. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Check a job spec and show what 'runctl apply' would do, without creating or writing"
          + " anything: the steps in order and which may run in parallel, each step's effective"
          + " settings (timeout, retry, when, with), the target, and for priced targets the"
          + " hourly price and what budget.max_duration would cost.",
      "Every problem is reported at once as FILE:LINE:COL: error: message, with a hint."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl plan specs/examples/quickstart.yaml",
      "  runctl plan --output json job.yaml | jq 'select(.type == \"diagnostic\")'",
      "",
      "Exit codes: 0 the spec is valid (warnings allowed), 2 it is not."
    })
final class PlanCommand implements Callable<Integer> {
  @ParentCommand RunctlCommand root;

  @Parameters(paramLabel = "FILE", description = "The job spec (YAML).")
  Path file;

  @Override
  public Integer call() {
    return plan(root.components(), root.output(), file);
  }

  /** Loads {@code file}, prints the plan or every diagnostic, and answers the exit code. */
  static int plan(Components components, Output out, Path file) {
    LoadResult result = components.planner().plan(components.specLoader().load(file));
    List<Diagnostic> diagnostics = result.diagnostics();
    int errors = (int) diagnostics.stream().filter(d -> d.severity() == Severity.ERROR).count();
    int warnings = diagnostics.size() - errors;
    if (result instanceof LoadResult.Loaded loaded) {
      PlanEvents.of(loaded.plan()).forEach(out::emit);
    }
    out.diagnostics(diagnostics);
    boolean valid = result instanceof LoadResult.Loaded;
    out.emit(new PlanEvents.Summary(valid, errors, warnings, file.toString()));
    if (!valid && !out.json()) {
      out.note(errors + (errors == 1 ? " error" : " errors") + " in " + file + "; nothing was run");
    }
    return valid ? ExitCodes.OK : ErrorHandler.exitCode(ErrorCategory.USAGE);
  }
}
