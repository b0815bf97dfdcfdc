package dev.runctl.cli;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code runctl apply FILE}: validate the spec, start a run and execute it. */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    description = {
      "Validate a job spec, start a run and execute its steps as a DAG: independent steps in"
          + " parallel, each attempt with its timeout and retries, every transition journaled"
          + " under --state-dir so that `runctl resume` continues after any failure or crash.",
      "The first line printed is `run <id>`. Ctrl+C (or SIGTERM, or SIGHUP when the terminal"
          + " closes) stops the running steps, runs the `always` steps and records the state (a"
          + " second Ctrl+C skips the grace period)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl apply specs/examples/quickstart.yaml",
      "  runctl apply job.yaml --parallelism 4",
      "  runctl apply job.yaml --env SEED=3 --set steps.train.with.args='[\"--epochs\",\"3\"]'",
      "  runctl apply job.yaml --run-id tiny-mlp-20261123-120000-ab12   # resumes it if it exists",
      "  runctl apply --output json job.yaml | jq -c 'select(.type == \"step_ended\")'",
      "",
      "Exit codes: 0 succeeded, 1 a step failed, 2 invalid spec or usage, 3 the run is locked"
          + " by another live process, 130 interrupted (Ctrl+C, SIGTERM, SIGHUP, runctl cancel)."
    })
final class ApplyCommand implements Callable<Integer> {
  @ParentCommand RunctlCommand root;

  @Parameters(paramLabel = "FILE", description = "The job spec (YAML).")
  Path file;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "Use this run id; when that run exists, resume it instead.")
  String runId;

  @Option(
      names = "--parallelism",
      paramLabel = "N",
      description = "How many steps may run at once (default: the number of cores).")
  Integer parallelism;

  @Option(
      names = "--env",
      paramLabel = "KEY=VALUE",
      description =
          "Set an environment variable of every step (as `env:` in the spec would); repeatable."
              + " Frozen into the run: resume uses the same value.")
  java.util.List<String> env = new java.util.ArrayList<>();

  @Option(
      names = "--set",
      paramLabel = "PATH=VALUE",
      description =
          "Override a value of the spec, read as YAML and checked like the file's (a step by its"
              + " id: steps.train.with.args='[\"--epochs\",\"3\"]'); repeatable. Frozen into the"
              + " run.")
  java.util.List<String> set = new java.util.ArrayList<>();

  @Option(
      names = {"-q", "--quiet"},
      description =
          "Show step transitions only, not the steps' output (which stdout shows when"
              + " it is not a terminal).")
  boolean quiet;

  @Override
  public Integer call() throws InterruptedException {
    return new RunSession(root)
        .quiet(quiet)
        .apply(
            file,
            Optional.ofNullable(runId),
            Parallelism.of(parallelism),
            FrozenOverrides.parse(env, set));
  }
}
