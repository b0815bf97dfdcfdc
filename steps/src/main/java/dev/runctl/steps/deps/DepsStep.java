package dev.runctl.steps.deps;

import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.SettingsReader;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code uses: deps}: a virtual environment on the machine per requirements hash, under the
 * machine's cache folder, made with {@code python -m venv} and filled with {@code python -m pip
 * install -r}, pip's output streamed live into the step log. A venv whose marker holds the same
 * hash is reused as it is: a repeated or resumed run does not install again.
 */
public final class DepsStep implements StepType<DepsStep.Config> {
  private static final SettingsSchema SETTINGS =
      SettingsSchema.of(
          """
        {
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "requirements": {
              "description": "The pip requirements file, relative to the workdir. Default: requirements.txt.",
              "type": "string",
              "minLength": 1
            },
            "python": {
              "description": "The Python interpreter that makes the virtual environment. Default: python3.",
              "type": "string",
              "minLength": 1
            },
            "pip_args": {
              "$ref": "#/$defs/stringList",
              "description": "Extra arguments for pip install, each one argument."
            }
          }
        }
          """);

  /** Facts other steps read: the interpreter and folder of the environment made last. */
  public static final String PYTHON_FACT = "deps.python";

  public static final String VENV_FACT = "deps.venv";
  static final String MARKER = ".runctl-requirements-sha256";

  /**
   * {@code requirements}: a pip requirements file in the workdir; {@code python}; {@code pip_args}.
   */
  public record Config(String requirements, String python, List<String> pipArgs)
      implements StepConfig {
    @Override
    public List<String> requiredPaths() {
      return ConfigureContext.hasExpression(requirements) ? List.of() : List.of(requirements);
    }

    @Override
    public Map<String, String> describe() {
      Map<String, String> d = new LinkedHashMap<>();
      d.put("requirements", requirements);
      d.put("python", python);
      d.put("pip_args", pipArgs.isEmpty() ? "(none)" : String.join(" ", pipArgs));
      return d;
    }
  }

  @Override
  public String name() {
    return "deps";
  }

  @Override
  public Set<String> outputs() {
    return Set.of("python", "venv", "requirements_sha256", "reused");
  }

  @Override
  public boolean machineState() {
    return true;
  }

  /** The schema of {@code with:}, composed into the job schema. */
  @Override
  public SettingsSchema settings() {
    return SETTINGS;
  }

  @Override
  public Config configure(ConfigureContext ctx) {
    SettingsReader with =
        SettingsReader.of(ctx).onlyKeys(Set.of("requirements", "python", "pip_args"));
    String requirements = with.string("requirements").orElse("requirements.txt");
    // at plan time the engine checks requiredPaths() in an existing workdir; here only a path an
    // expression produced, once it is known, or any path when the workdir itself is gone
    if (!ctx.planning() || !java.nio.file.Files.isDirectory(ctx.workdir())) {
      Requirements.checkExists(ctx.workdir(), requirements, with);
    }
    return new Config(
        requirements, with.string("python").orElse("python3"), with.stringList("pip_args"));
  }

  @Override
  public Optional<String> inputFingerprint(Config config, StepContext ctx) throws Exception {
    return Optional.of(Requirements.read(config, ctx.localWorkdir()).sha256());
  }

  @Override
  public StepResult execute(Config config, StepContext ctx) throws Exception {
    Requirements req = Requirements.read(config, ctx.localWorkdir());
    Machine machine = ctx.target().machine();
    String venv = machine.cacheDir() + "/venvs/" + req.sha256().substring(0, 16);
    String python = venv + "/bin/python";
    Optional<byte[]> installed = machine.read(venv + "/" + MARKER, 1024);
    boolean reused =
        installed.isPresent()
            && new String(installed.get(), StandardCharsets.UTF_8).trim().equals(req.sha256());
    if (reused) {
      ctx.log().line("reusing the virtual environment " + venv + " (requirements unchanged)");
    } else {
      VenvBuilder.build(config, req, venv, machine, ctx);
    }
    ctx.facts().put(PYTHON_FACT, python);
    ctx.facts().put(VENV_FACT, venv);
    Map<String, String> out = new LinkedHashMap<>();
    out.put("python", python);
    out.put("venv", venv);
    out.put("requirements_sha256", req.sha256());
    out.put("reused", Boolean.toString(reused));
    return new StepResult(out, Optional.of(req.sha256()));
  }
}
