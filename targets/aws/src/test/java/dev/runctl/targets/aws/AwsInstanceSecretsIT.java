package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.RunSecrets;
import dev.runctl.engine.spi.SecretRef;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.testing.RecordingLog;
import dev.runctl.targets.aws.moto.MotoClients;
import dev.runctl.targets.aws.moto.MotoServer;
import dev.runctl.targets.aws.support.AwsHarness;
import dev.runctl.targets.aws.support.AwsTargetIT;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The run's secrets on an emulated instance: the AWS-held ones fetched there through its role, the
 * ones runctl read kept in Parameter Store for it; each reaches the process's environment, is
 * masked in its output on the instance, and is in no bucket object and no command text.
 */
class AwsInstanceSecretsIT extends AwsTargetIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();
  private static final String FROM_SM = "hf_SmValue-7781";
  private static final String FROM_PARAM = "db'Param $Value 55";
  private static final String FROM_ENV = "wb_EnvValue-4242";

  /** Longer than one parameter: kept in parts. */
  private static final String FROM_FILE = "ünï-" + "f".repeat(9000) + "-end";

  private final MotoClients clients = new MotoClients();
  private final SsmClient ssm = clients.ssm;

  @AfterEach
  void closeClients() {
    clients.close();
  }

  @Override
  protected MotoServer moto() {
    return MOTO;
  }

  private static SecretRef ref(String name, String source, Map<String, String> settings) {
    return new SecretRef(name, source, settings, Path.of("."), Position.UNKNOWN);
  }

  private static RunSecrets secrets(String secretId) {
    return new RunSecrets(
        Map.of("WB", FROM_ENV, "BIG", FROM_FILE),
        List.of(
            ref("HF", "aws_secret", Map.of("aws_secret", secretId, "key", "token")),
            ref("DB", "aws_parameter", Map.of("aws_parameter", "/ml/db"))));
  }

  @Test
  void eachSecretReachesTheProcessAndNoBucketObjectOrCommandText() throws Exception {
    try (SecretsManagerClient sm =
        SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()).build()) {
      sm.createSecret(r -> r.name("hf/token").secretString("{\"token\": \"" + FROM_SM + "\"}"));
    }
    ssm.putParameter(p -> p.name("/ml/db").type(ParameterType.SECURE_STRING).value(FROM_PARAM));
    Target t =
        aws.open(
            "run-sec",
            new MemoryFacts(),
            AwsHarness.settings(),
            Optional.empty(),
            secrets("hf/token"));
    RecordingLog log = aws.log("run-sec", "train");
    Machine m = t.provision(log);
    String script =
        "import os,sys\n"
            + "v=[os.environ[k] for k in ('HF','DB','WB','BIG')]\n"
            + "open('seen.txt','w').write('\\n'.join(v))\n"
            + "print('hf='+v[0]+' db='+v[1]+' wb='+v[2]+' big='+v[3][-8:]); sys.stdout.flush()\n"
            + "sys.stdout.write(v[0][:5]); sys.stdout.flush()\n"
            + "import time; time.sleep(0.5)\n"
            + "sys.stdout.write(v[0][5:]+' split\\n')\n";
    try {
      DetachedProcess p =
          m.start(
              new DetachedSpec(
                  "train",
                  // the engine puts the values runctl read into the environment, as for any target
                  CommandSpec.of(
                      List.of("python3", "-u", "-c", script),
                      Map.of("WB", FROM_ENV, "BIG", FROM_FILE, "PLAIN", "visible")),
                  Optional.empty(),
                  List.of(FROM_ENV, FROM_FILE)));
      String out = drain(p);
      assertThat(new String(m.read("seen.txt", 1 << 20).orElseThrow(), StandardCharsets.UTF_8))
          .isEqualTo(String.join("\n", FROM_SM, FROM_PARAM, FROM_ENV, FROM_FILE));
      assertThat(out)
          .as("masked on the instance, a value split across writes too")
          .contains("hf=*** db=*** wb=*** big=")
          .contains("*** split");
      for (String v : List.of(FROM_SM, FROM_PARAM, FROM_ENV, FROM_FILE)) {
        assertThat(out).doesNotContain(v);
      }

      ExecResult r =
          m.exec(
              CommandSpec.of(
                  List.of("sh", "-c", "printf '%s|%s' \"$HF\" \"$WB\" > exec.txt; echo \"$PLAIN\""),
                  Map.of("WB", FROM_ENV, "PLAIN", "visible")),
              log);
      assertThat(r.exitCode()).isZero();
      assertThat(new String(m.read("exec.txt", 1000).orElseThrow(), StandardCharsets.UTF_8))
          .isEqualTo(FROM_SM + "|" + FROM_ENV);

      assertThat(holders(m)).as("places that hold a value").isEmpty();
      assertThat(vault("run-sec")).as("the parts kept for the instance").hasSize(4);
    } finally {
      t.destroy(log);
    }
    assertThat(vault("run-sec")).as("deleted at teardown").isEmpty();
    assertThat(log.text()).contains("deleted the run's 4 secret parameter(s)");
  }

  @Test
  void aSecretTheInstanceCannotFetchFailsTheStartByName() throws Exception {
    Target t =
        aws.open(
            "run-miss",
            new MemoryFacts(),
            AwsHarness.settings(),
            Optional.empty(),
            secrets("hf/absent"));
    RecordingLog log = aws.log("run-miss", "train");
    Machine m = t.provision(log);
    try {
      assertThatThrownBy(() -> m.exec(CommandSpec.of(List.of("true"), Map.of("WB", FROM_ENV)), log))
          .isInstanceOf(StepException.class)
          .hasMessageContaining("Cannot fetch secret HF (aws_secret: hf/absent) on " + m.id())
          .hasMessageContaining("it does not exist in us-east-1 (ResourceNotFoundException)")
          .satisfies(
              e -> {
                StepException s = (StepException) e;
                assertThat(s.errorClass()).isEqualTo(ErrorClass.ERROR);
                assertThat(s.hint().orElse("")).contains("create it");
              });
      // the same instance, a run whose only secret is a parameter nobody made
      Target other =
          aws.open(
              "run-miss",
              new MemoryFacts(),
              AwsHarness.settings(),
              Optional.empty(),
              new RunSecrets(
                  Map.of(),
                  List.of(ref("DB", "aws_parameter", Map.of("aws_parameter", "/ml/absent")))));
      Machine again = other.provision(log);
      assertThat(again.id()).isEqualTo(m.id());
      assertThatThrownBy(() -> again.exec(CommandSpec.of(List.of("true"), Map.of()), log))
          .hasMessageContaining(
              "Cannot fetch secret DB (aws_parameter: /ml/absent) on "
                  + m.id()
                  + ": it does not exist in us-east-1 (ParameterNotFound)");
    } finally {
      t.destroy(log);
    }
  }

  private String drain(DetachedProcess p) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long offset = 0;
    Instant deadline = Instant.now().plusSeconds(120);
    while (Instant.now().isBefore(deadline)) {
      ProcessPoll poll = p.poll(offset);
      out.write(poll.output());
      offset = poll.nextOffset();
      if (poll.state() == ProcessPoll.State.EXITED) {
        assertThat(poll.exitCode()).hasValue(0);
        return out.toString(StandardCharsets.UTF_8);
      }
    }
    throw new AssertionError("the process did not end: " + out.toString(StandardCharsets.UTF_8));
  }

  /**
   * Every bucket object, SSM command (its recorded parameters) and sandbox file holding a value.
   */
  private List<String> holders(Machine m) throws Exception {
    List<String> values = List.of(FROM_SM, FROM_PARAM, FROM_ENV, FROM_FILE);
    List<String> out = new ArrayList<>();
    aws.s3
        .listObjectsV2Paginator(l -> l.bucket(AwsHarness.BUCKET))
        .contents()
        .forEach(
            o -> {
              String text =
                  aws.s3
                      .getObjectAsBytes(g -> g.bucket(AwsHarness.BUCKET).key(o.key()))
                      .asString(StandardCharsets.ISO_8859_1);
              if (values.stream().anyMatch(v -> text.contains(latin1(v)))) {
                out.add("s3://" + o.key());
              }
            });
    Map<String, String> commands = clients.commandParameters();
    assertThat(commands).as("the SSM commands moto recorded").hasSizeGreaterThan(5);
    commands.forEach(
        (id, text) -> {
          if (values.stream().anyMatch(text::contains)) {
            out.add("command " + id);
          }
        });
    Path sandbox = MOTO.sandbox(m.id());
    try (Stream<Path> files = Files.walk(sandbox)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        if (values.stream().anyMatch(v -> text.contains(latin1(v)))
            && !f.getFileName().toString().equals("seen.txt")
            && !f.getFileName().toString().equals("exec.txt")) {
          out.add(sandbox.relativize(f).toString());
        }
      }
    }
    return out;
  }

  private static String latin1(String v) {
    return new String(v.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
  }

  private List<String> vault(String runId) {
    return clients.parameterNames(SecretVault.path(runId));
  }
}
