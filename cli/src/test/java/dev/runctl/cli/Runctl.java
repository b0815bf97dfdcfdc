package dev.runctl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real CLI as a separate process: {@code java -cp <this test's class path>
 * dev.runctl.cli.Main}, in a folder, with its own state folder, output captured to files.
 */
final class Runctl {
  private final Path cwd;
  private final Path stateDir;
  private final java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
  private List<String> wrapper = List.of();
  private Path launcher;
  private Path workingDir;
  private int seq;

  Runctl(Path cwd) {
    this.cwd = cwd;
    this.stateDir = cwd.resolve("state");
    // the index of runs of this test, not of the user running it
    env.put("XDG_STATE_HOME", cwd.resolve("xdg-state").toAbsolutePath().toString());
  }

  /** Sets ({@code value} null: removes) a variable in the environment of the next runctls. */
  Runctl env(String name, String value) {
    env.put(name, value);
    return this;
  }

  /** Starts the next runctls in {@code folder} (their output files stay in the test's folder). */
  Runctl from(Path folder) {
    workingDir = folder;
    return this;
  }

  /** Starts the next runctls through {@code argv} (e.g. {@code prlimit --nofile=64}). */
  Runctl wrappedIn(String... argv) {
    wrapper = List.of(argv);
    return this;
  }

  /**
   * Starts the next runctls as a user does, through the repository's {@code runctl} launcher with
   * the jar this build packaged: the launcher's JVM options and its class-data-sharing archives
   * (made here, in this test's folder, on each kind of command's first use). For measurements of
   * what users wait for; {@code java -cp} with this test's class path loads every class from its
   * jar instead.
   */
  Runctl throughLauncher() throws IOException {
    Path jar = Path.of("target", "runctl.jar").toAbsolutePath();
    Path script = Path.of("..", "runctl").toAbsolutePath().normalize();
    if (!Files.isRegularFile(jar) || !Files.isRegularFile(script)) {
      throw new IllegalStateException(
          "no packaged " + jar + " beside " + script + ": run the test through mvn verify");
    }
    Path root = cwd.resolve("launcher");
    Path target = Files.createDirectories(root.resolve("cli/target"));
    Files.copy(script, root.resolve("runctl"));
    Files.createSymbolicLink(target.resolve("runctl.jar"), jar);
    Files.createSymbolicLink(target.resolve("lib"), jar.resolveSibling("lib"));
    // the launcher builds when a source is newer than its stamp: this root has no sources
    Files.createFile(target.resolve("runctl.stamp"));
    env.put("JAVA_HOME", System.getProperty("java.home"));
    launcher = root.resolve("runctl");
    return this;
  }

  /**
   * Removes the {@link #throughLauncher launcher}'s links to the build's jars, which JUnit's
   * temporary folder would report as links out of it when it deletes itself.
   */
  void dropLauncher() throws IOException {
    if (launcher != null) {
      Path target = launcher.resolveSibling("cli/target");
      Files.deleteIfExists(target.resolve("runctl.jar"));
      Files.deleteIfExists(target.resolve("lib"));
      launcher = null;
    }
  }

  /** The index of runs these runctls write. */
  Path runIndex() {
    return Path.of(env.get("XDG_STATE_HOME"), "runctl", "runs.tsv");
  }

  Path stateDir() {
    return stateDir;
  }

  Path runDir(String runId) {
    return stateDir.resolve("runs").resolve(runId);
  }

  /** A started runctl; {@link #await} waits for its end. */
  final class Running {
    final Process process;
    final Path out;
    final Path err;

    Running(Process process, Path out, Path err) {
      this.process = process;
      this.out = out;
      this.err = err;
    }

    Result await(Duration limit) throws Exception {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("runctl did not end within " + limit + "\n" + stdout() + stderr());
      }
      return new Result(process.exitValue(), stdout(), stderr());
    }

    String stdout() throws IOException {
      return Files.readString(out, StandardCharsets.UTF_8);
    }

    String stderr() throws IOException {
      return Files.readString(err, StandardCharsets.UTF_8);
    }

    /** The run id from the first line ({@code run <id>}), once it is there. */
    String runId(Duration limit) throws Exception {
      long deadline = System.nanoTime() + limit.toNanos();
      while (System.nanoTime() < deadline) {
        String o = stdout();
        if (o.startsWith("run ") && o.contains("\n")) {
          return o.substring(4, o.indexOf('\n')).trim();
        }
        if (o.startsWith("{") && o.contains("\n")) {
          String first = o.substring(0, o.indexOf('\n'));
          int i = first.indexOf("\"runId\":\"") + 9;
          return first.substring(i, first.indexOf('"', i));
        }
        if (!process.isAlive()) {
          throw new AssertionError("runctl ended before printing its run id:\n" + o + stderr());
        }
        Thread.sleep(20);
      }
      throw new AssertionError("no run id within " + limit + ":\n" + stdout() + stderr());
    }

    long pid() {
      return process.pid();
    }

    /** kill -9, and waits for the end. */
    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  record Result(int exitCode, String stdout, String stderr) {
    /** The run id of the first line ({@code run <id>}), or "" when there is none. */
    String runId() {
      return stdout.startsWith("run ") ? stdout.substring(4, stdout.indexOf('\n')).trim() : "";
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }

  /**
   * The command line of a runctl with {@code args}: {@code java ... Main --state-dir <state> args}
   * (or the {@link #throughLauncher launcher}, behind the {@link #wrappedIn} wrapper, if any),
   * without the {@code --state-dir} when RUNCTL_STATE_DIR was set through {@link #env}.
   */
  List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(wrapper);
    if (launcher != null) {
      cmd.add(launcher.toString());
    } else {
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
      cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.runctl.cli.Main"));
    }
    if (env.get("RUNCTL_STATE_DIR") == null) {
      cmd.addAll(List.of("--state-dir", stateDir.toString()));
    }
    cmd.addAll(List.of(args));
    return cmd;
  }

  Running start(String... args) throws IOException {
    return startCommand(command(args));
  }

  /** Starts {@code cmd} (a {@link #command} or one that wraps it) like a runctl. */
  Running startCommand(List<String> cmd) throws IOException {
    int n = ++seq;
    Path out = cwd.resolve("out-" + n + ".txt");
    Path err = cwd.resolve("err-" + n + ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory((workingDir == null ? cwd : workingDir).toFile());
    env.forEach(
        (k, v) -> {
          if (v == null) {
            pb.environment().remove(k);
          } else {
            pb.environment().put(k, v);
          }
        });
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    return new Running(pb.start(), out, err);
  }

  Result run(String... args) throws Exception {
    return start(args).await(Duration.ofMinutes(2));
  }

  /**
   * A runctl on a pseudo-terminal (util-linux {@code script}), as a user at a terminal runs it: its
   * stdin and stdout are the terminal; what it wrote there is the result's stdout, with the
   * terminal's CR LF line ends.
   */
  Result runInTerminal(String... args) throws Exception {
    String line =
        command(args).stream()
            .map(a -> "'" + a.replace("'", "'\\''") + "'")
            .collect(java.util.stream.Collectors.joining(" "));
    return startCommand(List.of("script", "-qec", line, "/dev/null")).await(Duration.ofMinutes(2));
  }

  /** Writes a spec file into the folder and answers its path. */
  Path spec(String name, String yaml) throws IOException {
    Path p = cwd.resolve(name);
    Files.writeString(p, yaml, StandardCharsets.UTF_8);
    return p;
  }
}
