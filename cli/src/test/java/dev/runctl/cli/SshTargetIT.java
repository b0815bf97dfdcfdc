package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.ssh.testing.Sshd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ssh target through the real CLI in a separate process, against OpenSSH's sshd on 127.0.0.1 (a
 * generated host key and user key; sessions get a home folder of the test's own). After every test
 * nothing of the run runs on the host.
 */
class SshTargetIT {
  @TempDir Path dir;
  Runctl runctl;
  Sshd sshd;

  @BeforeEach
  void setUp() throws Exception {
    sshd = Sshd.start(dir.resolve("sshd"));
    runctl =
        new Runctl(
            TrainingProject.withTraining(
                dir.resolve("project"), "tiny_mlp.py", "requirements.txt"));
  }

  @AfterEach
  void nothingOfTheRunIsLeftRunning() throws Exception {
    try {
      // a session whose client just ended takes a moment to go
      for (int i = 0; i < 50 && !processesUnder(sshd.home()).isEmpty(); i++) {
        Thread.sleep(100);
      }
      assertThat(
              processesUnder(sshd.home()).stream()
                  .map(h -> h.pid() + " " + h.info().commandLine().orElse("?"))
                  .toList())
          .as("processes on the host that belong to the test's runs")
          .isEmpty();
    } finally {
      for (ProcessHandle h : processesUnder(sshd.home())) {
        h.destroyForcibly();
      }
      sshd.stop();
    }
  }

  private String spec(String name, String host, String args, String trainExtra) {
    return """
        version: 1
        name: %s
        env: {SEED: "7"}
        target:
          provider: ssh
          host: %s
          ssh_config: %s
          reconnect_timeout: 2m
        steps:
          - id: provision
            uses: provision
          - id: sync
            uses: sync
            with: {exclude: ["state/", "out-*.txt", "err-*.txt", "checkpoints/"]}
          - id: deps
            uses: deps
            with: {requirements: training/requirements.txt}
          - id: train
            uses: train
            timeout: 5m
            %s
            with:
              script: training/tiny_mlp.py
              args: %s
              checkpoints: checkpoints
              progress_timeout: 1m
          - id: verify
            uses: verify
            with:
              files: ["checkpoints/*.json"]
              metrics: {file: checkpoints/metrics.json, expect: {accuracy: ">= 0.90"}}
          - id: teardown
            uses: teardown
            when: always
            with: {collect: ["checkpoints/"]}
        """
        .formatted(name, host, sshd.clientConfigFile(), trainExtra, args);
  }

  @Test
  void theQuickstartAppliesEndToEndOverSsh() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            spec("tiny", "box", "[\"--epochs\", \"8\", \"--run-name\", \"quickstart run\"]", ""));
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String runId = r.runId();
    for (String step : new String[] {"provision", "sync", "deps", "train", "verify", "teardown"}) {
      assertThat(r.stdout()).contains(step + " succeeded");
    }
    Path artifacts = runctl.runDir(runId).resolve("artifacts/checkpoints");
    assertThat(artifacts.resolve("metrics.json")).content().contains("\"accuracy\": 0.99");
    assertThat(artifacts.resolve("ckpt-epoch-0008.json")).exists();
    assertThat(runctl.run("logs", runId, "train").stdout())
        .contains("epoch 8/8")
        .contains("'quickstart run'");
    assertThat(runctl.run("logs", runId, "provision").stdout()).contains("host box: Linux");
    assertThat(sshd.home().resolve("runctl/tiny")).as("the workdir is removed").doesNotExist();
    assertThat(sshd.home().resolve("runctl/.runs/" + runId)).doesNotExist();

    Runctl.Result again = runctl.run("apply", spec.toString());
    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(runctl.run("logs", again.runId(), "deps").stdout())
        .contains("reusing the virtual environment");
  }

  @Test
  void killedDuringTrainThenResumedReattachesToTheScriptStartedOnce() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            spec("reattach", "box", "[\"--epochs\", \"6\", \"--epoch-seconds\", \"2\"]", ""));
    Runctl.Running apply = runctl.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofSeconds(60));
    awaitContent(runctl.runDir(runId).resolve("logs/train.log"), "epoch 1/6");
    new ProcessBuilder("kill", "-KILL", Long.toString(apply.pid())).start().waitFor();
    apply.process.waitFor();
    Path proc = sshd.home().resolve("runctl/.runs/" + runId + "/procs/train-train");
    long trainPid = Long.parseLong(Files.readString(proc.resolve("pid")).trim());
    assertThat(ProcessHandle.of(trainPid).map(ProcessHandle::isAlive)).hasValue(true);
    assertThat(proc.resolve("env")).as("the wrapper deleted the environment file").doesNotExist();
    assertThat(runctl.run("runs").stdout()).contains("train-train running on box");

    Runctl.Result resumed = runctl.run("resume", runId);

    assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
    String log = runctl.run("logs", runId, "train").stdout();
    assertThat(log)
        .containsPattern("reattached to the training .*still running")
        .contains("epoch 6/6")
        .doesNotContain("resuming from checkpoint");
    assertThat(log.split("starting fresh", -1)).as("the script started once").hasSize(2);
    assertThat(runctl.runDir(runId).resolve("artifacts/checkpoints/ckpt-epoch-0006.json")).exists();
  }

  @Test
  void sshdStoppedAndRestartedDuringTrainTheRunCompletes() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            spec("restart", "box", "[\"--epochs\", \"6\", \"--epoch-seconds\", \"2\"]", ""));
    Runctl.Running apply = runctl.start("apply", spec.toString());
    String runId = apply.runId(Duration.ofSeconds(60));
    awaitContent(runctl.runDir(runId).resolve("logs/train.log"), "epoch 1/6");
    sshd.stop();
    Thread.sleep(6000);
    sshd.startProcess();

    Runctl.Result r = apply.await(Duration.ofMinutes(3));

    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(r.stdout() + r.stderr()).contains("lost the connection to box");
    String log = runctl.run("logs", runId, "train").stdout();
    assertThat(log).contains("epoch 6/6").doesNotContain("resuming from checkpoint");
    assertThat(log.split("starting fresh", -1)).hasSize(2);
  }

  @Test
  void aHostBehindAProxyJumpIsReachedThroughTheFirst() throws Exception {
    Path config = dir.resolve("jump_config");
    Files.writeString(config, sshd.clientConfig("box", null) + sshd.clientConfig("inner", "box"));
    Path spec =
        runctl.spec(
            "job.yaml",
            spec("jump", "inner", "[\"--epochs\", \"2\"]", "")
                .replace(sshd.clientConfigFile().toString(), config.toString())
                .replace("reconnect_timeout: 2m", "reconnect_timeout: 2m\n  python: python3")
                .replace(
                    "{requirements: training/requirements.txt}",
                    "{requirements: training/requirements.txt,"
                        + " python: \"${{ steps.provision.outputs.python }}\"}"));
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(runctl.runDir(r.runId()).resolve("artifacts/checkpoints/metrics.json")).exists();
    assertThat(runctl.run("logs", r.runId(), "provision").stdout())
        .contains("host inner: Linux")
        .contains("GPUs: ");
    assertThat(sshd.log())
        .as("box forwarded the connection to inner (ProxyJump)")
        .contains("server_request_direct_tcpip");
  }

  @Test
  void hostileArgumentsAndEnvironmentArriveByteIdentical() throws Exception {
    List<String> args =
        List.of(
            "two words",
            "say \"hi\" and 'bye'",
            "$HOME ${PATH} $(id) `id`",
            "a; rm -rf / && echo",
            "line1\nline2\n",
            "ünïcödé € 日本",
            "--lr",
            "-3",
            "",
            "back\\slash \\n",
            "*",
            "'");
    Files.writeString(
        dir.resolve("project/training/echo_args.py"),
        "import json, os, sys\n"
            + "os.makedirs('checkpoints', exist_ok=True)\n"
            + "open('checkpoints/argv.json', 'w', encoding='utf-8').write("
            + "json.dumps({'argv': sys.argv[1:], 'env': os.environ.get('HOSTILE')}))\n"
            + "open('checkpoints/metrics.json', 'w').write('{\"accuracy\": 1}')\n");
    String hostileEnv = "it's $HOME `id` \"q\"\nnext ü";
    String text =
        spec("hostile", "box", json(args), "")
            .replace("training/tiny_mlp.py", "training/echo_args.py")
            .replace("env: {SEED: \"7\"}", "env: {SEED: \"7\", HOSTILE: " + json(hostileEnv) + "}");
    String sentinel = "sentinel-" + java.util.UUID.randomUUID();
    text = text.replace("HOSTILE: ", "TOKEN: \"" + sentinel + "\", HOSTILE: ");
    Path spec = runctl.spec("job.yaml", text);
    // the host is this machine: no process's command line may show an environment value
    java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Thread sampler =
        new Thread(
            () -> {
              while (!Thread.currentThread().isInterrupted()) {
                seen.addAll(commandLinesContaining(sentinel));
              }
            });
    sampler.setDaemon(true);
    sampler.start();
    Runctl.Result r;
    try {
      r = runctl.run("apply", spec.toString());
    } finally {
      sampler.interrupt();
      sampler.join(5000);
    }
    assertThat(r.exitCode()).as(r.toString()).isZero();
    assertThat(seen).as("command lines that showed an environment value").isEmpty();
    String got =
        Files.readString(
            runctl.runDir(r.runId()).resolve("artifacts/checkpoints/argv.json"),
            StandardCharsets.UTF_8);
    assertThat(got)
        .isEqualTo("{\"argv\": " + pyJson(args) + ", \"env\": " + pyJson(hostileEnv) + "}");
  }

  @Test
  void aHungTrainingIsStoppedByProgressTimeoutOnTheHost() throws Exception {
    String text =
        spec("hang", "box", "[\"--epochs\", \"5\", \"--hang-after-epoch\", \"1\"]", "")
            .replace("progress_timeout: 1m", "progress_timeout: 4s");
    Runctl.Result r = runctl.run("apply", runctl.spec("job.yaml", text).toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
    String log = runctl.run("logs", r.runId(), "train").stdout();
    assertThat(log)
        .contains("hanging on purpose after epoch 1")
        .contains("stopping the hung training process");
    assertThat(r.stdout()).containsPattern("train\\s+timed out|train timed out|made no progress");
  }

  @Test
  void aRetriedTrainingContinuesFromTheCheckpointsTheFailedAttemptLeftOnTheHost() throws Exception {
    Path marker = Files.writeString(dir.resolve("fail-once"), "");
    TrainingProject.failOnce(dir.resolve("project"));
    // the host is this machine: the marker's absolute path reaches it
    String text =
        spec("once", "box", "[\"" + marker + "\"]", "retry: {max_attempts: 2, on: [failure]}")
            .replace("training/tiny_mlp.py", "training/once.py");
    Runctl.Result r = runctl.run("apply", runctl.spec("job.yaml", text).toString());
    assertThat(r.exitCode()).as(r.toString()).isZero();
    String log = runctl.run("logs", r.runId(), "train").stdout();
    assertThat(log)
        .contains("crashing on purpose after epoch 2")
        .contains("exit code 3")
        .contains("resuming from checkpoint epoch 2")
        .contains("epoch 4/4");
  }

  @Test
  void planCheckReportsTheHostAndWhatToFixWhenItDoesNotAnswer() throws Exception {
    Path spec = runctl.spec("job.yaml", spec("check", "box", "[]", ""));
    Runctl.Result ok = runctl.run("plan", "--check", spec.toString());
    assertThat(ok.exitCode()).as(ok.toString()).isZero();
    assertThat(ok.stdout())
        .containsPattern("check +ok +reachable: box answers: Linux")
        .containsPattern("ok +python: python3 3\\.")
        .containsPattern("ok +disk: [0-9.]+ GiB free in ")
        .containsPattern("ok +gpus: ");
    assertThat(sshd.home().resolve("runctl")).as("plan --check writes nothing").doesNotExist();

    sshd.stop();
    Runctl.Result down = runctl.run("plan", "--check", spec.toString());
    assertThat(down.exitCode()).as(down.toString()).isEqualTo(1);
    assertThat(down.stdout())
        .containsPattern("FAILED +reachable: Cannot reach box over ssh: .*Connection")
        .contains("fix: check that the machine is up and sshd runs there");
    sshd.startProcess();
  }

  @Test
  void severalHostsAreRejectedWithAClearMessage() throws Exception {
    Path spec =
        runctl.spec(
            "job.yaml",
            spec("multi", "box", "[]", "").replace("  host: box\n", "  hosts: [a, b]\n"));
    Runctl.Result r = runctl.run("plan", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
    assertThat(r.stderr())
        .contains("job.yaml:6:")
        .contains("hosts: [...] (several machines) is not supported yet")
        .contains("write host: NAME");
  }

  /** A JSON array of strings (valid YAML too). */
  private static String json(List<String> values) {
    List<String> q = new ArrayList<>();
    values.forEach(v -> q.add(json(v)));
    return "[" + String.join(", ", q) + "]";
  }

  private static String json(String v) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : v.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** As Python's json.dumps writes it (non-ASCII escaped as \\uXXXX). */
  private static String pyJson(List<String> values) {
    List<String> q = new ArrayList<>();
    values.forEach(v -> q.add(pyJson(v)));
    return "[" + String.join(", ", q) + "]";
  }

  private static String pyJson(String v) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : v.toCharArray()) {
      if (c == '"') {
        b.append("\\\"");
      } else if (c == '\\') {
        b.append("\\\\");
      } else if (c == '\n') {
        b.append("\\n");
      } else if (c < 0x20 || c > 0x7e) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** The command lines of running processes that contain {@code text}. */
  static List<String> commandLinesContaining(String text) {
    List<String> out = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (cmd.contains(text)) {
            out.add(cmd.replace('\0', ' '));
          }
        } catch (IOException e) {
          // not a process, or it ended
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return out;
  }

  /** Processes whose command line or environment names {@code home}: the runs' on the host. */
  static List<ProcessHandle> processesUnder(Path home) throws IOException {
    String needle = home.toString();
    List<ProcessHandle> out = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.toList()) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)
            || Long.parseLong(name) == ProcessHandle.current().pid()) {
          continue;
        }
        try {
          String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          String env = new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8);
          if ((cmd.contains(needle) || env.contains("HOME=" + needle)) && !cmd.contains("sshd")) {
            ProcessHandle.of(Long.parseLong(name)).ifPresent(out::add);
          }
        } catch (IOException e) {
          // ended meanwhile
        }
      }
    }
    return out;
  }

  private static void awaitContent(Path file, String text) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(file) && Files.readString(file).contains(text)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(file + " did not come to contain '" + text + "'");
  }
}
