package dev.runctl.steps.run;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.SettingsReader;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code uses: run}: a command on the target's machine, in the synced workdir. {@code command} is
 * an argv list, {@code shell} a script for {@code sh -c}; {@code creates} skips the step when that
 * path exists. {@code key=value} lines the command appends to the file named by {@code
 * $RUNCTL_OUTPUT} become outputs, so the keys are open-ended.
 */
public final class RunStep implements StepType<RunConfig> {
  private static final SettingsSchema SETTINGS =
      SettingsSchema.of(
              """
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "command": {
              "description": "An argv list, e.g. [\\"python3\\", \\"x.py\\", \\"--a\\", \\"b c\\"]: each element is one argument.",
              "type": "array",
              "minItems": 1,
              "items": {
                "type": [
                  "string",
                  "number",
                  "boolean"
                ]
              }
            },
            "shell": {
              "description": "A script given to `sh -c`, where a shell is wanted.",
              "type": "string",
              "minLength": 1
            },
            "creates": {
              "description": "A path relative to the workdir; the step is skipped when it exists.",
              "type": "string",
              "minLength": 1
            }
          },
          "if": {
            "required": [
              "command"
            ]
          },
          "then": {
            "not": {
              "required": [
                "shell"
              ]
            }
          },
          "else": {
            "required": [
              "shell"
            ]
          }
        }
          """)
          .requiredMapping()
          .whenMissing("shell", "a run step needs command: [argv...] or shell: \"a script\"")
          .whenBroken(
              "not",
              "a run step takes either 'command' or 'shell', not both",
              "use command: [argv...] for a program, shell: for a shell script");

  static final long MAX_OUTPUT_BYTES = 1 << 20;

  @Override
  public String name() {
    return "run";
  }

  /** No fixed keys: any key the command writes to {@code $RUNCTL_OUTPUT} is an output. */
  @Override
  public Set<String> outputs() {
    return Set.of();
  }

  @Override
  public boolean declaresOutput(String key) {
    return true;
  }

  /** The schema of {@code with:}, composed into the job schema. */
  @Override
  public SettingsSchema settings() {
    return SETTINGS;
  }

  @Override
  public RunConfig configure(ConfigureContext ctx) {
    SettingsReader read = SettingsReader.of(ctx).onlyKeys(Set.of("command", "shell", "creates"));
    ConfigNode.Mapping with = read.settings();
    Diagnostics d = read.diagnostics();
    Optional<ConfigNode> command = with.get("command");
    Optional<ConfigNode> shell = with.get("shell");
    List<String> argv = new ArrayList<>();
    if (command.isPresent() == shell.isPresent()) {
      d.error(
          with.position(),
          "a run step needs exactly one of 'command' (an argv list) or 'shell' (a script)",
          "e.g. command: [\"python3\", \"prepare.py\"] or shell: \"make data && ls data\"");
    } else if (command.isPresent()) {
      if (command.get() instanceof ConfigNode.Seq seq && !seq.items().isEmpty()) {
        for (ConfigNode item : seq.items()) {
          if (item instanceof ConfigNode.Scalar s) {
            argv.add(s.value());
          } else {
            d.error(item.position(), "each element of 'command' must be a string", null);
          }
        }
      } else {
        d.error(
            command.get().position(),
            "'command' must be a non-empty list of arguments",
            "write command: [\"prog\", \"arg\"], or use shell: for a command line");
      }
    } else if (shell.get() instanceof ConfigNode.Scalar s && !s.value().isBlank()) {
      argv.addAll(List.of("sh", "-c", s.value()));
    } else {
      d.error(shell.get().position(), "'shell' must be a non-empty string", null);
    }
    argv.stream()
        .filter(a -> a.contains("${{") && a.replace(" ", "").contains("${{env."))
        .findFirst()
        .ifPresent(
            a ->
                d.error(
                    command.or(() -> shell).get().position(),
                    "an ${{ env.* }} expression in 'command' or 'shell' would put its value into"
                        + " the process arguments, where other users of the machine can read it",
                    "pass it through the step's env: (TOKEN: ${{ env.TOKEN }}) and read $TOKEN in"
                        + " the command"));
    return new RunConfig(
        argv.isEmpty() ? List.of("true") : argv, shell.isPresent(), with.text("creates"));
  }

  @Override
  public Optional<StepResult> alreadyDone(RunConfig config, StepContext ctx) throws Exception {
    if (config.creates().isEmpty()) {
      return Optional.empty();
    }
    Machine m = ctx.target().machine();
    String path = config.creates().get();
    if (m.list(path).isEmpty() && m.read(path, 0).isEmpty()) {
      return Optional.empty();
    }
    ctx.log().line("'" + path + "' exists on " + m.id() + ": the step's work is done");
    return Optional.of(StepResult.of(Map.of()));
  }

  @Override
  public StepResult execute(RunConfig config, StepContext ctx) throws Exception {
    Machine m = ctx.target().machine();
    String outputFile = "/tmp/runctl-out-" + ctx.runId() + "-" + ctx.stepId() + "-" + ctx.attempt();
    Map<String, String> env = new LinkedHashMap<>(ctx.env());
    env.put("RUNCTL_OUTPUT", outputFile);
    ExecResult r = m.exec(CommandSpec.of(config.argv(), env), ctx.log());
    if (!r.ok()) {
      throw failed(config, r, ctx);
    }
    Optional<byte[]> written = m.read(outputFile, MAX_OUTPUT_BYTES);
    if (written.isEmpty()) {
      return StepResult.of(Map.of());
    }
    Map<String, String> outputs = OutputFile.parse(written.get(), ctx::warn);
    m.delete(outputFile, ctx.log());
    return StepResult.of(outputs);
  }

  private static StepException failed(RunConfig config, ExecResult r, StepContext ctx) {
    String program = config.shell() ? "the shell script" : "'" + config.argv().get(0) + "'";
    String tail = r.tail().isBlank() ? "" : "; last output:\n" + r.tail().strip();
    if (r.exitCode() == 127 || r.exitCode() == 126) {
      return new StepException(
          dev.runctl.engine.spi.ErrorClass.FAILURE,
          false,
          program
              + " could not be run (exit "
              + r.exitCode()
              + ": not found or not executable)"
              + tail,
          "check that the program is installed on the machine and on PATH",
          null);
    }
    return StepException.failure(
        program + " exited with code " + r.exitCode() + tail,
        "see its output with `runctl logs " + ctx.runId() + " " + ctx.stepId() + "`");
  }
}
