package dev.runctl.steps.train;

import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.Durations;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.RemoteFile;
import dev.runctl.engine.spi.SettingsReader;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code uses: train}: starts {@code script} with {@code args} (a list, never joined) as a detached
 * process on the machine, in the synced workdir, with the deps environment's interpreter when there
 * is one. Its handle goes into the run's facts the moment it starts, so that a retried or resumed
 * attempt reattaches to it while it runs, or starts it again (resuming from its newest checkpoint)
 * once it has ended.
 */
public final class TrainStep implements StepType<TrainStep.Config> {
  private static final SettingsSchema SETTINGS =
      SettingsSchema.of(
              """
        {
          "type": "object",
          "required": [
            "script"
          ],
          "additionalProperties": false,
          "properties": {
            "script": {
              "description": "The training script, relative to the workdir.",
              "type": "string",
              "minLength": 1
            },
            "args": {
              "description": "Arguments for the script; each element reaches it as one argument, spaces and all.",
              "type": "array",
              "items": {
                "type": [
                  "string",
                  "number",
                  "boolean"
                ]
              }
            },
            "checkpoints": {
              "description": "The checkpoint folder on the target, relative to the workdir; a change there counts as progress and it is kept across machine replacements.",
              "type": "string",
              "minLength": 1
            },
            "progress_timeout": {
              "$ref": "#/$defs/duration",
              "description": "No new output and no checkpoint change for this long: the attempt is hung and fails as a timeout."
            }
          }
        }
          """)
          .requiredMapping()
          .whenMissing(
              "script", "name the training script, relative to the workdir: script: train.py");

  /** The step's settings; {@code progressTimeout} empty means no hang detection. */
  public record Config(
      String script, List<String> args, String checkpoints, Optional<Duration> progressTimeout)
      implements StepConfig {
    @Override
    public List<String> requiredPaths() {
      return ConfigureContext.hasExpression(script) ? List.of() : List.of(script);
    }

    /** The script, and each argument (or the value of {@code --opt=value}) that may be a file. */
    @Override
    public List<String> namedPaths() {
      List<String> named = new java.util.ArrayList<>(requiredPaths());
      for (String a : args) {
        String value =
            !a.startsWith("-") ? a : a.indexOf('=') > 0 ? a.substring(a.indexOf('=') + 1) : "";
        if (!value.isEmpty() && !ConfigureContext.hasExpression(value)) {
          named.add(value);
        }
      }
      return named;
    }

    @Override
    public Map<String, String> describe() {
      Map<String, String> d = new LinkedHashMap<>();
      d.put("script", script);
      // JSON-style, each element quoted: what is shown can be pasted back into the spec
      d.put("args", dev.runctl.engine.json.Json.strings(args));
      d.put("checkpoints", checkpoints);
      d.put("progress_timeout", progressTimeout.map(Durations::format).orElse("(none)"));
      return d;
    }
  }

  /** The fact that holds the handle of the training process a train step started. */
  public static String handleFact(String stepId) {
    return "train." + stepId + ".handle";
  }

  static String nameFact(String stepId) {
    return "train." + stepId + ".name";
  }

  /** When the training process of the step's handle fact was started (an ISO instant). */
  static String startedFact(String stepId) {
    return "train." + stepId + ".started_at";
  }

  static String exitFact(String stepId) {
    return "train." + stepId + ".exit_code";
  }

  @Override
  public String name() {
    return "train";
  }

  @Override
  public Set<String> outputs() {
    return Set.of("exit_code", "last_checkpoint");
  }

  /** The schema of {@code with:}, composed into the job schema. */
  @Override
  public SettingsSchema settings() {
    return SETTINGS;
  }

  @Override
  public Config configure(ConfigureContext ctx) {
    SettingsReader with =
        SettingsReader.of(ctx)
            .onlyKeys(Set.of("script", "args", "checkpoints", "progress_timeout"));
    String script = with.required("script", "add it under with:, e.g. script: training/train.py");
    // at plan time the engine checks requiredPaths() in an existing workdir; here only a path an
    // expression produced, once it is known, or any path when the workdir itself is gone
    if ((!ctx.planning() || !Files.isDirectory(ctx.workdir()))
        && !script.isEmpty()
        && !ConfigureContext.hasExpression(script)
        && !Files.isRegularFile(ctx.workdir().resolve(script))) {
      with.error(
          "script",
          "train script '" + script + "' does not exist in the workdir " + ctx.workdir(),
          "the path is relative to the spec's workdir (set workdir: in the spec to change it)");
    }
    String checkpoints = with.string("checkpoints").orElse("checkpoints");
    return new Config(
        script, with.stringList("args"), checkpoints, with.duration("progress_timeout"));
  }

  @Override
  public StepResult execute(Config config, StepContext ctx) throws Exception {
    Machine machine = ctx.target().machine();
    DetachedProcess process = TrainLauncher.reattach(machine, ctx).orElse(null);
    boolean reattached = process != null;
    if (process == null) {
      process = TrainLauncher.start(config, machine, ctx);
    }
    TrainFollower.Outcome end =
        new TrainFollower(
                process,
                config.progressTimeout(),
                ctx,
                reattached,
                new MetricsFollower(machine, MetricsFollower.remotePath(config, machine), ctx))
            .follow(machine);
    ctx.facts().put(exitFact(ctx.stepId()), Integer.toString(end.exitCode()));
    if (end.exitCode() != 0) {
      throw StepException.failure(
          "training script "
              + config.script()
              + " exited with code "
              + end.exitCode()
              + "; its last output:\n"
              + end.tail(),
          "its full output is in the step log (runctl logs "
              + ctx.runId()
              + " "
              + ctx.stepId()
              + "); a new attempt (retry.on: [failure], or `runctl resume "
              + ctx.runId()
              + "`) starts it again with RUNCTL_CHECKPOINT_DIR="
              + TrainLauncher.checkpointDir(config, machine)
              + " so that it resumes from its newest checkpoint");
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("exit_code", "0");
    out.put("last_checkpoint", lastCheckpoint(config, machine));
    return StepResult.of(out);
  }

  private static String lastCheckpoint(Config config, Machine machine) throws InterruptedException {
    return machine.list(config.checkpoints()).stream()
        .filter(f -> !f.path().endsWith("metrics.json") && !f.path().endsWith("metrics.jsonl"))
        .max(Comparator.comparingLong(RemoteFile::modifiedMillis).thenComparing(RemoteFile::path))
        .map(RemoteFile::path)
        .orElse("");
  }
}
