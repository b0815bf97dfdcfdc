package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code secrets:} from an environment variable and a file reach the step as environment variables
 * and nowhere else: a scan of every file under the state folder, stdout and stderr in text and JSON
 * modes, the plan, and {@code ps} while the step runs finds the values only where the step itself
 * wrote them (a file in the workdir).
 */
class SecretsIT {
  private static final String FROM_ENV = "hf_Zq9EnvSecretValue";
  private static final String FROM_FILE = "wb-FileSecretValue-77";

  @TempDir Path dir;

  @Test
  void secretsReachTheStepAndNoFileOutputOrCommandLineOfRunctl() throws Exception {
    Files.writeString(dir.resolve("token.txt"), FROM_FILE + "\n");
    Runctl runctl = new Runctl(dir).env("MY_HF", FROM_ENV);
    Path spec =
        runctl.spec(
            "job.yaml",
            """
            version: 1
            name: sec
            target: {provider: local}
            secrets:
              HF_TOKEN: {env: MY_HF}
              WANDB_API_KEY: {file: token.txt}
            steps:
              - id: show
                uses: run
                with:
                  shell: >-
                    echo "token=$HF_TOKEN wandb=$WANDB_API_KEY";
                    printf '%s %s' "$HF_TOKEN" "$WANDB_API_KEY" > seen.txt;
                    sleep 2
            """);
    List<String> outputs = new ArrayList<>();
    Runctl.Result plan = runctl.run("plan", spec.toString());
    assertThat(plan.exitCode()).as(plan.toString()).isZero();
    outputs.add(plan.stdout() + plan.stderr());
    for (String mode : List.of("text", "json")) {
      Runctl.Running running = runctl.start("apply", spec.toString(), "--output", mode);
      String runId = running.runId(Duration.ofSeconds(60));
      String ps = psWhile(running);
      Runctl.Result r = running.await(Duration.ofMinutes(2));
      assertThat(r.exitCode()).as(r.toString()).isZero();
      outputs.add(r.stdout() + r.stderr());
      outputs.add(ps);
      assertThat(Files.readString(dir.resolve("seen.txt"))).isEqualTo(FROM_ENV + " " + FROM_FILE);
      Runctl.Result logs = runctl.run("logs", runId);
      outputs.add(logs.stdout() + logs.stderr());
      assertThat(logs.stdout()).contains("token=*** wandb=***");
    }
    for (String out : outputs) {
      assertThat(out).doesNotContain(FROM_ENV).doesNotContain(FROM_FILE);
    }
    List<Path> holders = filesHolding(runctl.stateDir());
    assertThat(holders).as("files under the state folder holding a secret").isEmpty();
  }

  @Test
  void aSecretThatCannotBeReadIsSaidWithoutAValue() throws Exception {
    Runctl runctl = new Runctl(dir).env("MY_HF", null);
    Path spec =
        runctl.spec(
            "job.yaml",
            """
            version: 1
            name: sec
            secrets:
              HF_TOKEN: {env: MY_HF}
              OTHER: {file: missing.txt}
            steps:
              - {id: show, uses: run, with: {shell: "true"}}
            """);
    Runctl.Result r = runctl.run("apply", spec.toString());
    assertThat(r.exitCode()).as(r.toString()).isNotZero();
    assertThat(r.stderr()).contains("secret HF_TOKEN (env: MY_HF)").contains("export MY_HF=");
    assertThat(r.stdout()).as("no run was made").doesNotContain("run ");
    Path runs = runctl.stateDir().resolve("runs");
    if (Files.isDirectory(runs)) {
      try (Stream<Path> made = Files.list(runs)) {
        assertThat(made.toList()).as("run folders").isEmpty();
      }
    }
  }

  /** What {@code ps} shows of every process while {@code running}'s step runs. */
  private String psWhile(Runctl.Running running) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Path seen = dir.resolve("seen.txt");
    Files.deleteIfExists(seen);
    while (!Files.exists(seen) && System.nanoTime() < deadline && running.process.isAlive()) {
      Thread.sleep(20);
    }
    Process ps =
        new ProcessBuilder("ps", "-eo", "pid,args", "ww").redirectErrorStream(true).start();
    String text = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ps.waitFor();
    assertThat(text).contains("sleep 2");
    return text;
  }

  private List<Path> filesHolding(Path root) throws IOException {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        if (text.contains(FROM_ENV) || text.contains(FROM_FILE)) {
          out.add(f);
        }
      }
    }
    return out;
  }
}
