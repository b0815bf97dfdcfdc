package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.aws.moto.MotoClients;
import dev.runctl.targets.aws.moto.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * {@code secrets:} of each source on the aws target, the real CLI against moto_server: each reaches
 * the training script's environment on the instance, and a scan of every file under the state
 * folder, the bucket's objects (during the run and after), stdout and stderr in text and JSON
 * modes, the SSM commands' recorded parameters and {@code ps} during the run finds no value
 * anywhere but in the file the training script wrote. {@code plan --check} names a secret that is
 * missing.
 */
class AwsSecretsIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();
  private static final String BUCKET = "runctl-secrets";
  private static final String FROM_ENV = "hf_EnvSecret-1234";
  private static final String FROM_FILE = "wb_FileSecret-5678";
  private static final String FROM_SM = "sm_VaultSecret-9012";
  private static final String FROM_PARAM = "ps_ParamSecret-3456";
  private static final List<String> VALUES = List.of(FROM_ENV, FROM_FILE, FROM_SM, FROM_PARAM);

  @TempDir Path dir;
  MotoProject aws;
  private final MotoClients clients = new MotoClients();
  private final SsmClient ssm = clients.ssm;

  @BeforeEach
  void setUp() throws Exception {
    aws = new MotoProject(MOTO, dir, BUCKET);
  }

  @AfterEach
  void tearDown() {
    try {
      aws.close();
    } finally {
      clients.close();
    }
  }

  @Test
  void eachSourceReachesTheTrainingAndNothingElseHoldsAValue() throws Exception {
    storeAwsSecrets();
    Files.writeString(aws.project.resolve("token.txt"), FROM_FILE + "\n");
    Files.writeString(
        aws.project.resolve("show.py"),
        """
        import os, time
        names = ["HF_TOKEN", "WANDB_API_KEY", "SM_TOKEN", "DB_PASSWORD"]
        print("tokens: " + " ".join(n + "=" + os.environ[n] for n in names), flush=True)
        with open("seen.txt", "w") as f:
            f.write(" ".join(os.environ[n] for n in names))
        time.sleep(4)
        print("done", flush=True)
        """);
    // runctl's own Secrets Manager calls go nowhere; the instance's reach moto as before
    Runctl cli =
        aws.runctl
            .env("MY_HF", FROM_ENV)
            .env("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:9");
    Path spec = spec();
    List<String> outputs = new ArrayList<>();
    List<String> holders = new ArrayList<>();
    Runctl.Result plan = cli.run("plan", "--check", spec.toString());
    assertThat(plan.stdout())
        .as("the look from runctl's machine cannot reach Secrets Manager")
        .containsPattern("FAILED +secret SM_TOKEN: .*cannot reach Secrets Manager");
    outputs.add(plan.stdout() + plan.stderr());
    for (String mode : List.of("text", "json")) {
      Runctl.Running running = cli.start("apply", spec.toString(), "--output", mode);
      String runId = aws.run(running.runId(Duration.ofMinutes(1)));
      Path seen = awaitFile(running, runId, "seen.txt").resolve("seen.txt");
      outputs.add(ps());
      holders.addAll(bucketHolders("during the " + mode + " run"));
      assertThat(vault(runId))
          .as("what runctl kept for the instance: the env and file secrets only")
          .containsExactlyInAnyOrder(
              "/runctl/runs/" + runId + "/secrets/HF_TOKEN/0",
              "/runctl/runs/" + runId + "/secrets/WANDB_API_KEY/0");
      Runctl.Result r = running.await(Duration.ofMinutes(6));
      assertThat(r.exitCode()).as(r.toString()).isZero();
      outputs.add(r.stdout() + r.stderr());
      assertThat(Files.readString(seen))
          .as("the training script's environment")
          .isEqualTo(String.join(" ", VALUES));
      Runctl.Result logs = cli.run("logs", runId, "train");
      outputs.add(logs.stdout() + logs.stderr());
      assertThat(logs.stdout())
          .contains("tokens: HF_TOKEN=*** WANDB_API_KEY=*** SM_TOKEN=*** DB_PASSWORD=***");
      assertThat(vault(runId)).as("the run's secret parameters, after teardown").isEmpty();
    }
    for (String out : outputs) {
      for (String v : VALUES) {
        assertThat(out).doesNotContain(v);
      }
    }
    holders.addAll(bucketHolders("after the runs"));
    holders.addAll(filesHolding(cli.stateDir()));
    holders.addAll(filesHolding(dir.resolve("xdg-state")));
    Map<String, String> commands = clients.commandParameters();
    assertThat(commands).as("the SSM commands moto recorded").hasSizeGreaterThan(10);
    commands.forEach(
        (id, text) -> {
          if (VALUES.stream().anyMatch(text::contains)) {
            holders.add("SSM command " + id);
          }
        });
    assertThat(holders).as("places holding a secret").isEmpty();
  }

  @Test
  void planCheckNamesTheSecretThatIsMissingAndHowToFixIt() throws Exception {
    Files.writeString(aws.project.resolve("show.py"), "print('hi')\n");
    Path spec = spec();
    Runctl.Result missing = aws.runctl.env("MY_HF", null).run("plan", "--check", spec.toString());
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(1);
    assertThat(missing.stdout())
        .containsPattern("FAILED +secret HF_TOKEN: secret HF_TOKEN \\(env: MY_HF\\): the variable")
        .contains("export MY_HF=")
        .containsPattern("FAILED +secret WANDB_API_KEY: secret WANDB_API_KEY \\(file: token.txt\\)")
        .containsPattern(
            "FAILED +secret SM_TOKEN: secret SM_TOKEN \\(aws_secret: hf/token\\): the secret does"
                + " not exist in us-east-1")
        .contains("aws secretsmanager create-secret --name hf/token")
        .containsPattern(
            "FAILED +secret DB_PASSWORD: secret DB_PASSWORD \\(aws_parameter: /ml/db\\): the"
                + " parameter does not exist in us-east-1")
        .contains("aws ssm put-parameter --type SecureString --name /ml/db");

    storeAwsSecrets();
    Files.writeString(aws.project.resolve("token.txt"), FROM_FILE + "\n");
    Runctl.Result ok = aws.runctl.env("MY_HF", FROM_ENV).run("plan", "--check", spec.toString());
    assertThat(ok.stdout())
        .containsPattern("ok +secret HF_TOKEN: HF_TOKEN \\(env: MY_HF\\) can be read")
        .containsPattern("ok +secret WANDB_API_KEY: ")
        .containsPattern(
            "ok +secret SM_TOKEN: SM_TOKEN \\(aws_secret: hf/token\\) exists in us-east-1 with the"
                + " field 'token'")
        .containsPattern(
            "ok +secret DB_PASSWORD: DB_PASSWORD \\(aws_parameter: /ml/db\\) exists in us-east-1"
                + " \\(SecureString\\)")
        .doesNotContain("FAILED  secret");
    for (String v : VALUES) {
      assertThat(ok.stdout() + ok.stderr()).doesNotContain(v);
    }
  }

  @Test
  void valuesFromTheEnvironmentReachNoBucketWithSharedStateAndAResumeElsewhereReadsItsOwn()
      throws Exception {
    String hub = "hub_FromTheShell-5150";
    String db = "db_AlsoFromTheShell-8080";
    List<String> values = List.of(hub, db);
    Files.writeString(
        aws.project.resolve("wait.py"),
        """
        import os, time
        with open("seen.txt", "w") as f:
            f.write(os.environ["HUB_TOKEN"] + "|" + os.environ["DB_URL"])
        print("waiting for go", flush=True)
        for _ in range(3000):
            if os.path.exists("go"):
                break
            time.sleep(0.1)
        print("went", flush=True)
        """);
    Path spec =
        spec(
            "env.yaml",
            "env-aws",
            "state: {backend: s3, bucket: "
                + BUCKET
                + ", prefix: shared, lease: 3s}\n"
                + """
                env:
                  HUB_TOKEN: "${{ env.MY_HUB }}"
                  DB_URL: "postgres://ml:${{ env.MY_DB }}@db.internal/runs"
                steps:
                  - {id: provision, uses: provision}
                  - id: sync
                    uses: sync
                    with: {exclude: ["training/"]}
                  - id: check
                    uses: run
                    with: {shell: 'printf "%s|%s" "$HUB_TOKEN" "$DB_URL" > check.txt'}
                  - id: train
                    uses: train
                    with: {script: wait.py}
                  - {id: teardown, uses: teardown, when: always}
                """);
    Runctl a = aws.runctl.env("MY_HUB", hub).env("MY_DB", db);
    Runctl.Running apply = a.start("apply", spec.toString());
    String runId = aws.run(apply.runId(Duration.ofMinutes(1)));
    Path work = awaitFile(apply, runId, "seen.txt");
    String expected = hub + "|postgres://ml:" + db + "@db.internal/runs";
    assertThat(Files.readString(work.resolve("seen.txt"))).isEqualTo(expected);
    assertThat(Files.readString(work.resolve("check.txt"))).isEqualTo(expected);
    List<String> holders = new ArrayList<>(bucketHolders("during the run", values));
    apply.kill();

    // another machine, with the bucket but without the variables
    Runctl b =
        new Runctl(Files.createDirectories(dir.resolve("b")))
            .env("AWS_ENDPOINT_URL", MOTO.endpoint())
            .env("AWS_ACCESS_KEY_ID", "testing")
            .env("AWS_SECRET_ACCESS_KEY", "testing")
            .env("AWS_REGION", "us-east-1")
            .env("AWS_PROFILE", null)
            .env("MY_HUB", null)
            .env("MY_DB", null)
            .env("RUNCTL_STATE", "s3://" + BUCKET + "/shared");
    Runctl.Result refused = b.run("resume", runId);
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
    assertThat(refused.stderr())
        .as(refused.toString())
        .contains("run " + runId + " reads MY_DB, MY_HUB from the environment")
        .contains("not set on this machine; nothing was resumed")
        .contains("export MY_DB, MY_HUB as on the machine that started the run");
    assertThat(aws.instances(runId))
        .as("the training's instance is left as it was")
        .anyMatch(i -> i.state().nameAsString().equals("running"));

    Runctl.Running resume = b.env("MY_HUB", hub).env("MY_DB", db).start("resume", runId);
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (!resume.stdout().contains("train") && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    Files.writeString(work.resolve("go"), "");
    Runctl.Result r = resume.await(Duration.ofMinutes(4));
    assertThat(r.exitCode()).as(r.toString()).isZero();
    holders.addAll(bucketHolders("after the run", values));
    holders.addAll(filesHolding(a.stateDir(), values));
    holders.addAll(filesHolding(b.stateDir(), values));
    clients
        .commandParameters()
        .forEach(
            (id, text) -> {
              if (values.stream().anyMatch(text::contains)) {
                holders.add("SSM command " + id);
              }
            });
    assertThat(holders).as("places holding a value of the user's environment").isEmpty();
    for (String out : List.of(r.stdout(), r.stderr(), refused.stdout(), refused.stderr())) {
      for (String v : values) {
        assertThat(out).doesNotContain(v);
      }
    }
  }

  /** The folder where {@code name} appears on the run's instance, once it is there. */
  private Path awaitFile(Runctl.Running running, String runId, String name) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (System.nanoTime() < deadline && running.process.isAlive()) {
      for (var i : aws.instances(runId)) {
        Path work = MOTO.sandbox(i.instanceId()).resolve("runctl/" + runId + "/work");
        if (Files.exists(work.resolve(name)) && Files.size(work.resolve(name)) > 0) {
          return work;
        }
      }
      Thread.sleep(50);
    }
    List<String> found = new ArrayList<>();
    for (var i : aws.instances(runId)) {
      try (Stream<Path> files = Files.walk(MOTO.sandbox(i.instanceId()))) {
        files.filter(f -> f.toString().contains("work")).forEach(f -> found.add(f.toString()));
      }
    }
    throw new AssertionError(
        "no "
            + name
            + " on the instance, which holds "
            + found
            + ":\n"
            + running.stdout()
            + running.stderr());
  }

  private void storeAwsSecrets() {
    try (SecretsManagerClient sm =
        SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
      sm.createSecret(r -> r.name("hf/token").secretString("{\"token\": \"" + FROM_SM + "\"}"));
    }
    ssm.putParameter(p -> p.name("/ml/db").type(ParameterType.SECURE_STRING).value(FROM_PARAM));
  }

  private Path spec() throws IOException {
    return spec(
        "aws.yaml",
        "sec-aws",
        """
        secrets:
          HF_TOKEN: {env: MY_HF}
          WANDB_API_KEY: {file: token.txt}
          SM_TOKEN: {aws_secret: hf/token, key: token}
          DB_PASSWORD: {aws_parameter: /ml/db}
        steps:
          - {id: provision, uses: provision}
          - id: sync
            uses: sync
            with: {exclude: ["token.txt", "training/"]}
          - id: train
            uses: train
            with: {script: show.py}
          - {id: teardown, uses: teardown, when: always}
        """);
  }

  /** The spec {@code file} of the project: {@code name} on moto's instance, then {@code rest}. */
  private Path spec(String file, String name, String rest) throws IOException {
    Path spec = aws.project.resolve(file);
    Files.writeString(
        spec,
        """
        version: 1
        name: %s
        workdir: .
        target:
          provider: aws
          region: us-east-1
          instance_type: g5.xlarge
          market: on_demand
          image: {ssm_parameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64}
          iam_instance_profile: runctl-ssm
          bucket: %s
          disk_gb: 100
        budget: {max_duration: 1h, max_cost: 5}
        """
                .formatted(name, BUCKET)
            + rest);
    return spec;
  }

  private static String ps() throws Exception {
    Process ps =
        new ProcessBuilder("ps", "-eo", "pid,args", "ww").redirectErrorStream(true).start();
    String text = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ps.waitFor();
    assertThat(text).as("ps while the training runs").contains("show.py");
    return text;
  }

  private List<String> bucketHolders(String when) {
    return bucketHolders(when, VALUES);
  }

  private List<String> bucketHolders(String when, List<String> values) {
    List<String> out = new ArrayList<>();
    assertThat(aws.s3.listObjectsV2(l -> l.bucket(BUCKET)).contents())
        .as("objects in the bucket " + when)
        .isNotEmpty();
    aws.s3
        .listObjectsV2Paginator(l -> l.bucket(BUCKET))
        .contents()
        .forEach(
            o -> {
              String text =
                  aws.s3
                      .getObjectAsBytes(g -> g.bucket(BUCKET).key(o.key()))
                      .asString(StandardCharsets.ISO_8859_1);
              if (values.stream().anyMatch(text::contains)) {
                out.add("s3://" + BUCKET + "/" + o.key() + " " + when);
              }
            });
    return out;
  }

  private List<String> vault(String runId) {
    return clients.parameterNames("/runctl/runs/" + runId + "/");
  }

  private static List<String> filesHolding(Path root) throws IOException {
    return filesHolding(root, VALUES);
  }

  private static List<String> filesHolding(Path root, List<String> values) throws IOException {
    List<String> out = new ArrayList<>();
    if (!Files.exists(root)) {
      return out;
    }
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        if (values.stream().anyMatch(text::contains)) {
          out.add(f.toString());
        }
      }
    }
    return out;
  }
}
