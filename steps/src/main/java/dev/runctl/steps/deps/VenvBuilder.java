package dev.runctl.steps.deps;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a virtual environment on the machine in one Python process that holds a lock on {@code
 * <venv>.lock} throughout: two runs that need the same environment at once build it once (the
 * second waits, then finds the marker and reuses it). Inside: {@code python -m venv --clear}, then
 * {@code <venv>/bin/python -m pip install -r ...}, then the marker with the requirements hash, all
 * as argv lists. Exit codes 90 (venv) and 91 (pip) say which part failed.
 */
final class VenvBuilder {
  static final int VENV_FAILED = 90;
  static final int PIP_FAILED = 91;

  /** argv: venv, sha, requirements, count, pip_args... (run by the base interpreter). */
  private static final String BUILD =
      """
      import fcntl, os, subprocess, sys
      venv, sha, requirements, count = sys.argv[1:5]
      pip_args = sys.argv[5:]
      marker = os.path.join(venv, "%s")
      os.makedirs(os.path.dirname(venv), exist_ok=True)
      with open(venv + ".lock", "a") as lock:
          fcntl.flock(lock, fcntl.LOCK_EX)
          try:
              with open(marker) as f:
                  if f.read().strip() == sha:
                      print("another run made this environment meanwhile: reusing it", flush=True)
                      sys.exit(0)
          except OSError:
              pass
          create = [sys.executable, "-m", "venv", "--clear"]
          create += ["--without-pip"] if count == "0" else []
          print("creating the virtual environment " + venv, flush=True)
          if subprocess.call(create + [venv]) != 0:
              sys.exit(%d)
          if count == "0":
              print(requirements + " lists no packages: nothing to install", flush=True)
          else:
              pip = [os.path.join(venv, "bin", "python"), "-m", "pip", "install",
                     "--disable-pip-version-check", "-r", requirements] + pip_args
              code = subprocess.call(pip)
              if code != 0:
                  print("pip exited with code %%d" %% code, flush=True)
                  sys.exit(%d)
          with open(marker + ".tmp", "w") as f:
              f.write(sha)
          os.replace(marker + ".tmp", marker)
      """
          .formatted(DepsStep.MARKER, VENV_FAILED, PIP_FAILED);

  private VenvBuilder() {}

  static void build(
      DepsStep.Config config, Requirements req, String venv, Machine machine, StepContext ctx)
      throws InterruptedException {
    List<String> argv = new ArrayList<>(List.of(config.python(), "-c", BUILD, venv));
    argv.addAll(List.of(req.sha256(), config.requirements(), Integer.toString(req.count())));
    argv.addAll(config.pipArgs());
    Map<String, String> env = new LinkedHashMap<>(ctx.env());
    env.put("PYTHONUNBUFFERED", "1");
    env.put("PIP_NO_INPUT", "1");
    ctx.progress(
        req.count() == 0
            ? "virtual environment " + venv
            : "pip install -r " + config.requirements() + " (" + req.count() + " requirements)");
    ExecResult r = machine.exec(CommandSpec.of(argv, env), ctx.log());
    if (r.exitCode() == PIP_FAILED) {
      throw StepException.failure(
          "could not install " + config.requirements() + " (pip failed):\n" + r.tail(),
          "fix the requirements (a typo, a version that does not exist, no network);"
              + " pip's full output is in the step log");
    }
    if (!r.ok()) {
      throw StepException.failure(
          "could not create the virtual environment "
              + venv
              + " with "
              + config.python()
              + " (exit code "
              + r.exitCode()
              + "):\n"
              + r.tail(),
          "check that '"
              + config.python()
              + "' exists and has the venv module"
              + " (Debian: apt-get install python3-venv), or set with.python");
    }
  }
}
