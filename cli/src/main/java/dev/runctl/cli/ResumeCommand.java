package dev.runctl.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code runctl resume RUN_ID}: continue a run from its journal. */
@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = {
      "Continue a run after a failure, a crash of runctl or a Ctrl+C, with the spec frozen at"
          + " its apply: succeeded steps are not run again, steps that were running are"
          + " re-entered through their idempotency check (a running train is reattached), failed"
          + " ones get new attempts (attempt numbers continue).",
      "When the inputs of a succeeded step changed since (the workdir for sync, the"
          + " requirements for deps), they are listed and nothing runs (exit 4) unless"
          + " --rerun-changed."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl resume tiny-mlp-20261123-120000-ab12",
      "  runctl resume tiny-mlp-20261123-120000-ab12 --rerun-changed",
      "",
      "Exit codes: as apply, and 4 when inputs of succeeded steps changed."
    })
final class ResumeCommand implements Callable<Integer> {
  @ParentCommand RunctlCommand root;

  @Parameters(
      arity = "0..1",
      paramLabel = "RUN_ID",
      description =
          "The run or sweep: its id, a unique prefix of it, or `latest` (default: the newest run of this project; see `runctl runs`).")
  String runId;

  @Option(
      names = "--rerun-changed",
      description = "Run succeeded steps whose inputs changed again, and the steps after them.")
  boolean rerunChanged;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "How many steps may run at once (default: the number of cores).")
  Integer parallelism;

  @Option(
      names = {"-q", "--quiet"},
      description =
          "Show step transitions only, not the steps' output (which stdout shows when"
              + " it is not a terminal).")
  boolean quiet;

  @Override
  public Integer call() throws InterruptedException {
    java.util.Optional<String> sweep = SweepCommands.find(root, runId);
    if (sweep.isPresent()) {
      return new SweepSession(root).resume(sweep.get(), Parallelism.of(parallelism), rerunChanged);
    }
    RunFinder.Found found = root.runFinder().find(runId);
    return RunSession.on(root, found)
        .quiet(quiet)
        .resume(found.runId(), rerunChanged, Parallelism.of(parallelism));
  }
}
