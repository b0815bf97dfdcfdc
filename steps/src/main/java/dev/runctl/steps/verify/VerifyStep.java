package dev.runctl.steps.verify;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.RemoteFile;
import dev.runctl.engine.spi.SettingsReader;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import dev.runctl.steps.support.Globs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code uses: verify}: checks a training's outcome on the machine: every train of the run exited
 * 0, each glob of {@code files} matches at least one non-empty file, and the numbers of the JSON
 * {@code metrics.file} (without a file: the last values reported through {@code $RUNCTL_METRICS})
 * meet {@code metrics.expect}. All problems are reported together, each with what was expected and
 * what was found.
 */
public final class VerifyStep implements StepType<VerifyStep.Config> {
  private static final SettingsSchema SETTINGS =
      SettingsSchema.of(
              """
        {
          "type": "object",
          "minProperties": 1,
          "additionalProperties": false,
          "properties": {
            "files": {
              "$ref": "#/$defs/stringList",
              "description": "Globs relative to the workdir; each must match at least one non-empty file."
            },
            "metrics": {
              "description": "Numbers checked against expectations: those of a JSON file, or without file the last values reported through $RUNCTL_METRICS.",
              "type": "object",
              "required": [
                "expect"
              ],
              "additionalProperties": false,
              "properties": {
                "file": {
                  "description": "A JSON file on the machine, relative to the workdir; absent: the last values the run's trainings reported through $RUNCTL_METRICS.",
                  "type": "string",
                  "minLength": 1
                },
                "expect": {
                  "description": "Metric name to a comparison, e.g. accuracy: \\">= 0.90\\".",
                  "type": "object",
                  "minProperties": 1,
                  "additionalProperties": {
                    "type": "string",
                    "pattern": "^(>=|<=|==|>|<)\\\\s*-?[0-9]+(\\\\.[0-9]+)?([eE][-+]?[0-9]+)?$"
                  }
                }
              }
            }
          }
        }
          """)
          .requiredMapping()
          .whenMissing(
              "file", "name the JSON file with the metrics, e.g. file: checkpoints/metrics.json")
          .whenMissing("expect", "say what to expect, e.g. expect: {accuracy: \">= 0.90\"}")
          .whenMalformed(
              "expect",
              "expectation '%s' is not a comparison with a number",
              "write an operator and a number, e.g. \">= 0.90\" (operators: >=, >, <=, <, ==)")
          .whenBroken(
              "minProperties",
              "a verify step needs 'files' or 'metrics'",
              "e.g. files: [\"checkpoints/*.json\"]");

  /** {@code files} globs; the metrics file and its expectations (empty when not checked). */
  public record Config(List<String> files, Optional<String> metricsFile, List<Expectation> expect)
      implements StepConfig {
    @Override
    public Map<String, String> describe() {
      Map<String, String> d = new LinkedHashMap<>();
      d.put("files", files.isEmpty() ? "(none)" : String.join(", ", files));
      metricsFile.ifPresent(f -> d.put("metrics.file", f));
      expect.forEach(e -> d.put("metrics.expect." + e.key(), e.text()));
      return d;
    }
  }

  @Override
  public String name() {
    return "verify";
  }

  @Override
  public Set<String> outputs() {
    return Set.of("checks", "metrics");
  }

  /** The schema of {@code with:}, composed into the job schema. */
  @Override
  public SettingsSchema settings() {
    return SETTINGS;
  }

  @Override
  public Config configure(ConfigureContext ctx) {
    SettingsReader with = SettingsReader.of(ctx).onlyKeys(Set.of("files", "metrics"));
    List<String> files = with.stringList("files");
    Optional<String> metricsFile = Optional.empty();
    List<Expectation> expect = new ArrayList<>();
    Optional<ConfigNode.Mapping> metrics = with.mapping("metrics");
    if (metrics.isPresent()) {
      ConfigNode.Mapping m = metrics.get();
      m.keys()
          .forEach(
              (k, at) -> {
                if (!k.equals("file") && !k.equals("expect")) {
                  with.diagnostics()
                      .error(
                          at,
                          "metrics has no setting '" + k + "'",
                          "use metrics.file and metrics.expect");
                }
              });
      // no file: the last values the run's trainings reported through $RUNCTL_METRICS
      metricsFile = m.text("file");
      if (m.get("expect").orElse(null) instanceof ConfigNode.Mapping exp) {
        with.stringMap(exp, "expect")
            .forEach(
                (key, text) -> {
                  Optional<Expectation> e = Expectation.parse(key, text);
                  if (e.isPresent()) {
                    expect.add(e.get());
                  } else if (!ConfigureContext.hasExpression(text)) {
                    with.diagnostics()
                        .error(
                            exp.get(key).orElseThrow().position(),
                            "expect." + key + ": '" + text + "' is not a comparison",
                            "write an operator and a number, e.g. \">= 0.90\" (operators: >=, >, <=, <, ==)");
                  }
                });
      } else {
        with.diagnostics()
            .error(
                m.position(),
                "metrics needs 'expect', a mapping of metric to comparison",
                "e.g. expect: {accuracy: \">= 0.90\"}");
      }
    }
    if (files.isEmpty() && metrics.isEmpty()) {
      with.diagnostics()
          .warning(
              ctx.step().position(),
              "verify step '" + ctx.step().id() + "' checks only the train exit codes",
              "add files: [...] or metrics: {file: ..., expect: {...}}");
    }
    return new Config(files, metricsFile, List.copyOf(expect));
  }

  @Override
  public StepResult execute(Config config, StepContext ctx) throws Exception {
    Machine machine = ctx.target().machine();
    List<String> problems = new ArrayList<>();
    int checks = 0;
    for (Map.Entry<String, String> fact : ctx.facts().all().entrySet()) {
      if (fact.getKey().startsWith("train.") && fact.getKey().endsWith(".exit_code")) {
        checks++;
        if (!fact.getValue().equals("0")) {
          String step = fact.getKey().substring(6, fact.getKey().length() - 10);
          problems.add("train step '" + step + "': expected exit code 0, found " + fact.getValue());
        }
      }
    }
    for (String glob : config.files()) {
      checks++;
      checkGlob(machine, glob, problems, ctx);
    }
    Map<String, String> found = new LinkedHashMap<>();
    if (config.metricsFile().isPresent()) {
      checks += config.expect().size();
      MetricsCheck.check(machine, config.metricsFile().get(), config.expect(), problems, found);
    } else if (!config.expect().isEmpty()) {
      checks += config.expect().size();
      MetricsCheck.checkReported(ctx.runDir(), config.expect(), problems, found);
    }
    if (!problems.isEmpty()) {
      throw StepException.failure(
          "verify found "
              + problems.size()
              + " problem(s) on "
              + machine.id()
              + ":\n  "
              + String.join("\n  ", problems),
          "paths are relative to the workdir on the machine (" + machine.workdir() + ")");
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("checks", Integer.toString(checks));
    out.put("metrics", found.toString());
    return StepResult.of(out);
  }

  private static void checkGlob(
      Machine machine, String glob, List<String> problems, StepContext ctx)
      throws InterruptedException {
    String pattern = glob.endsWith("/") ? glob + "**" : glob;
    String base = fixedPrefix(pattern);
    Pattern regex = Globs.compile(pattern);
    List<RemoteFile> matches =
        machine.list(base).stream().filter(f -> regex.matcher(f.path()).matches()).toList();
    if (matches.isEmpty()) {
      problems.add("files '" + glob + "': expected at least one file, found none");
    } else if (matches.stream().allMatch(f -> f.size() == 0)) {
      problems.add(
          "files '"
              + glob
              + "': expected a non-empty file, found only empty ones: "
              + matches.stream().map(RemoteFile::path).limit(5).toList());
    } else {
      ctx.log().line("files '" + glob + "': " + matches.size() + " file(s)");
    }
  }

  /**
   * The folder part of a glob before its first wildcard ("checkpoints/*.json" -> "checkpoints").
   */
  static String fixedPrefix(String glob) {
    String[] parts = glob.split("/");
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < parts.length - 1 && !Globs.hasWildcard(parts[i]); i++) {
      b.append(b.length() == 0 ? "" : "/").append(parts[i]);
    }
    if (!Globs.hasWildcard(glob)) {
      return glob;
    }
    return b.toString();
  }
}
