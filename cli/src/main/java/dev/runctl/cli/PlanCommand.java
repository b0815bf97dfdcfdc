package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.plan.LoadResult;
import dev.runctl.engine.spec.SpecOverride;
import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Severity;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
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
      "Every problem is reported at once as FILE:LINE:COL: error: message, with a hint.",
      "With --check, read-only checks against the real target follow (ssh: the host answers,"
          + " Python, free disk, GPUs), each ok or with how to fix it."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl plan specs/examples/quickstart.yaml",
      "  runctl plan job.yaml --env SEED=3 --set steps.train.timeout=2h   # as apply would",
      "  runctl plan --output json job.yaml | jq 'select(.type == \"diagnostic\")'",
      "  runctl plan --check job.yaml",
      "",
      "Exit codes: 0 the spec is valid (warnings allowed) and every check holds, 1 a check failed,"
          + " 2 the spec is not valid."
    })
final class PlanCommand implements Callable<Integer> {
  @ParentCommand RunctlCommand root;

  @Parameters(paramLabel = "FILE", description = "The job spec (YAML).")
  Path file;

  @Mixin OverrideOptions overrides = new OverrideOptions();

  @Option(
      names = "--check",
      description =
          "Also check the real target, read-only (connect, look; create and write nothing).")
  boolean check;

  @Override
  public Integer call() throws InterruptedException {
    LoadResult result = load(root.components(), file, overrides.parse());
    int code = print(result, root.output(), file);
    if (code != ExitCodes.OK || !check) {
      return code;
    }
    return TargetChecks.run(
        ((LoadResult.Loaded) result).plan(), root.components().registry(), root.output());
  }

  /** Loads {@code file} with {@code overrides}, as apply does. */
  private static LoadResult load(Components components, Path file, List<SpecOverride> overrides) {
    return components.planner().plan(components.specLoader().load(file, overrides));
  }

  /** Prints the plan or every diagnostic, and answers the exit code. */
  private static int print(LoadResult result, Output out, Path file) {
    List<Diagnostic> diagnostics = result.diagnostics();
    int errors = (int) diagnostics.stream().filter(d -> d.severity() == Severity.ERROR).count();
    int warnings = diagnostics.size() - errors;
    if (result instanceof LoadResult.Loaded loaded) {
      PlanEvents.of(loaded.plan()).forEach(out::emit);
      SweepPlan.of(loaded.plan()).forEach(out::emit);
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
