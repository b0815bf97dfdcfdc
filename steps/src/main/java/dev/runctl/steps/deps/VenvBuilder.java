package dev.runctl.steps.deps;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.SharedStore;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a virtual environment on the machine in one Python process that holds a lock on {@code
 * <venv>.lock} throughout: two runs that need the same environment at once build it once (the
 * second waits, then finds the marker and reuses it). Inside: {@code python -m venv --clear}, then
 * {@code <venv>/bin/python -m pip install -r ...}, then the marker with the requirements hash, all
 * as argv lists. Exit codes 90 (venv) and 91 (pip) say which part failed. On a machine with a
 * {@link SharedStore} (aws: the bucket), pip installs from a wheel cache there, keyed by the
 * requirements' hash, the Python version and the platform: the first machine fills it after a
 * successful install ({@code pip wheel}, then {@code pip install --no-index --find-links}, then a
 * push, its completeness mark last); later ones pull it and install with {@code --no-index},
 * falling back to the index when it is incomplete.
 */
final class VenvBuilder {
  static final int VENV_FAILED = 90;
  static final int PIP_FAILED = 91;

  /**
   * argv: venv, sha, requirements, count, then the shared store's pull argv and push argv, each
   * after its length (0 without a store), then pip_args (run by the base interpreter).
   */
  private static final String BUILD =
      """
      import fcntl, os, shutil, subprocess, sys, sysconfig
      venv, sha, requirements, count = sys.argv[1:5]
      rest = sys.argv[5:]
      pull, rest = rest[1:1 + int(rest[0])], rest[1 + int(rest[0]):]
      push, pip_args = rest[1:1 + int(rest[0])], rest[1 + int(rest[0]):]
      marker = os.path.join(venv, "%s")
      COMPLETE = "runctl-complete"

      def pip(*args):
          return subprocess.call([os.path.join(venv, "bin", "python"), "-m", "pip", *args,
                                  "--disable-pip-version-check", "-r", requirements] + pip_args)

      def store(argv, key, folder):
          return subprocess.call([a.replace("{key}", key).replace("{dir}", folder) for a in argv])

      def install():
          if not pull:
              return pip("install")
          # the wheel cache: one per requirements (with python and pip_args), Python version and
          # platform, in the store the machines share
          key = "wheels-%%s-cp%%d%%d-%%s" %% (sha[:32], sys.version_info[0], sys.version_info[1],
                                         sysconfig.get_platform().replace("/", "_"))
          wheels = venv + ".wheels"
          shutil.rmtree(wheels, ignore_errors=True)
          os.makedirs(wheels)
          store(pull, key, wheels)
          if os.path.exists(os.path.join(wheels, COMPLETE)):
              print("installing from the wheel cache " + key + " (no package index)", flush=True)
              if pip("install", "--no-index", "--find-links", wheels) == 0:
                  return 0
              print("the wheel cache is incomplete: installing from the index", flush=True)
              return pip("install")
          print("no wheel cache for these requirements yet: filling " + key, flush=True)
          if pip("wheel", "--wheel-dir", wheels) != 0:
              print("pip wheel failed: installing from the index, without a cache", flush=True)
              return pip("install")
          if pip("install", "--no-index", "--find-links", wheels) != 0:
              print("the wheels pip made do not install: installing from the index", flush=True)
              return pip("install")
          # filled after a successful install only, and the mark of a complete cache goes last
          if store(push, key, wheels) == 0:
              open(os.path.join(wheels, COMPLETE), "w").write(sha + "\\n")
              if store(push, key, wheels) == 0:
                  print("stored the wheels in the cache " + key, flush=True)
                  return 0
          print("could not store the wheel cache (the install itself succeeded)", flush=True)
          return 0

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
              code = install()
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
    Optional<SharedStore> store = machine.sharedStore();
    for (List<String> part :
        List.of(
            store.map(SharedStore::pull).orElse(List.of()),
            store.map(SharedStore::push).orElse(List.of()))) {
      argv.add(Integer.toString(part.size()));
      argv.addAll(part);
    }
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
