package dev.runctl.steps.deps;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.ConfigureContext;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.StepConfig;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepResult;
import dev.runctl.engine.spi.StepType;
import dev.runctl.steps.support.WithReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
  /** Facts other steps read: the interpreter and folder of the environment made last. */
  public static final String PYTHON_FACT = "deps.python";

  public static final String VENV_FACT = "deps.venv";
  static final String MARKER = ".runctl-requirements-sha256";
  private static final String WRITE_MARKER =
      "import sys; open(sys.argv[1], 'w').write(sys.argv[2])";

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

  @Override
  public Config configure(ConfigureContext ctx) {
    WithReader with = new WithReader(ctx, Set.of("requirements", "python", "pip_args"));
    String requirements = with.string("requirements").orElse("requirements.txt");
    if (!ctx.planning() || !ConfigureContext.hasExpression(requirements)) {
      Requirements.checkExists(ctx.job().workdir(), requirements, with);
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
    String marker = venv + "/" + MARKER;
    Optional<byte[]> installed = machine.read(marker, 1024);
    boolean reused =
        installed.isPresent()
            && new String(installed.get(), StandardCharsets.UTF_8).trim().equals(req.sha256());
    if (reused) {
      ctx.log().line("reusing the virtual environment " + venv + " (requirements unchanged)");
    } else {
      build(config, req, ctx, machine, venv, python);
      exec(
          machine,
          ctx,
          List.of(python, "-c", WRITE_MARKER, marker, req.sha256()),
          "record the install");
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

  private static void build(
      Config config, Requirements req, StepContext ctx, Machine machine, String venv, String python)
      throws InterruptedException {
    List<String> create = new ArrayList<>(List.of(config.python(), "-m", "venv", "--clear"));
    if (req.count() == 0) {
      create.add("--without-pip");
    }
    create.add(venv);
    ctx.progress("creating the virtual environment " + venv);
    exec(machine, ctx, create, "create the virtual environment with " + config.python());
    if (req.count() == 0) {
      ctx.log().line(config.requirements() + " lists no packages: nothing to install");
      return;
    }
    List<String> pip =
        new ArrayList<>(
            List.of(
                python,
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "-r",
                config.requirements()));
    pip.addAll(config.pipArgs());
    ctx.progress("pip install -r " + config.requirements() + " (" + req.count() + " requirements)");
    exec(machine, ctx, pip, "install " + config.requirements());
  }

  private static void exec(Machine machine, StepContext ctx, List<String> argv, String what)
      throws InterruptedException {
    Map<String, String> env = new LinkedHashMap<>(ctx.env());
    env.put("PYTHONUNBUFFERED", "1");
    env.put("PIP_NO_INPUT", "1");
    ExecResult r = machine.exec(CommandSpec.of(argv, env), ctx.log());
    if (!r.ok()) {
      throw StepException.failure(
          "could not "
              + what
              + " ("
              + argv.get(0)
              + " exited with code "
              + r.exitCode()
              + "):\n"
              + r.tail(),
          what.startsWith("create")
              ? "check that '"
                  + argv.get(0)
                  + "' exists and has the venv module (Debian: apt-get install python3-venv), or set with.python"
              : "fix the requirements (a typo, a version that does not exist, no network); pip's full output is in the step log");
    }
  }
}
