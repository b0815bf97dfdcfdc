package dev.runctl.targets.aws.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.ConfigNode;
import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.MemoryFacts;
import dev.runctl.engine.spi.Position;
import dev.runctl.engine.spi.RunClock;
import dev.runctl.engine.spi.RunSecrets;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetSettings;
import dev.runctl.engine.testing.RecordingLog;
import dev.runctl.targets.aws.AwsTargetProvider;
import dev.runctl.targets.aws.moto.MotoClients;
import dev.runctl.targets.aws.moto.MotoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.s3.S3Client;

/** Opens aws targets against the moto launcher, with facts and warnings the test can inspect. */
public final class AwsHarness implements AutoCloseable {
  public static final String BUCKET = "runctl-test-bucket";
  private final MotoServer moto;
  private final Path dir;
  public final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
  private final MotoClients clients = new MotoClients();
  public final Ec2Client ec2 = clients.ec2;
  public final S3Client s3 = clients.s3;
  private final List<Target> opened = new ArrayList<>();

  public AwsHarness(MotoServer moto, Path dir) {
    this.moto = moto;
    this.dir = dir;
    s3.createBucket(b -> b.bucket(BUCKET));
  }

  /** The standard test target settings, with {@code overrides} replacing or adding keys. */
  public static ConfigNode.Mapping settings(Object... overrides) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("provider", "aws");
    m.put("region", "us-east-1");
    m.put("instance_type", "g5.xlarge");
    m.put("market", "on_demand");
    m.put(
        "image",
        Map.of(
            "ssm_parameter", "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64"));
    m.put("iam_instance_profile", MotoServer.PROFILE);
    m.put("bucket", BUCKET);
    m.put("disk_gb", 100);
    m.put("tags", Map.of("team", "ml"));
    for (int i = 0; i < overrides.length; i += 2) {
      if (overrides[i + 1] == null) {
        m.remove((String) overrides[i]);
      } else {
        m.put((String) overrides[i], overrides[i + 1]);
      }
    }
    return (ConfigNode.Mapping) Yaml.node(m);
  }

  public TargetConfig configure(ConfigNode.Mapping settings) {
    Diagnostics d = new Diagnostics();
    TargetConfig c =
        new AwsTargetProvider().configure(new TargetSettings("aws", settings, Position.UNKNOWN), d);
    assertThat(d.hasErrors()).as(d.all().toString()).isFalse();
    return c;
  }

  public Target open(String runId, MemoryFacts facts, ConfigNode.Mapping settings) {
    return open(runId, facts, settings, java.util.Optional.empty());
  }

  /** A target whose job has {@code budget.max_duration}. */
  public Target open(
      String runId,
      MemoryFacts facts,
      ConfigNode.Mapping settings,
      java.util.Optional<java.time.Duration> maxDuration) {
    return open(runId, facts, settings, maxDuration, RunSecrets.NONE);
  }

  /** A target whose run has {@code secrets}. */
  public Target open(
      String runId,
      MemoryFacts facts,
      ConfigNode.Mapping settings,
      java.util.Optional<java.time.Duration> maxDuration,
      RunSecrets secrets) {
    Path runDir = dir.resolve("runs").resolve(runId);
    try {
      Files.createDirectories(runDir);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    TargetContext ctx =
        TargetContext.builder()
            .runId(runId)
            .jobName("test-job")
            .runDir(runDir)
            .localWorkdir(dir.resolve("work"))
            .cacheDir(dir.resolve("cache"))
            .facts(facts)
            .warnings(warnings::add)
            .clock(RunClock.SYSTEM)
            .maxDuration(maxDuration)
            .secrets(secrets)
            .build();
    Target t = new AwsTargetProvider().open(configure(settings), ctx);
    opened.add(t);
    return t;
  }

  public RecordingLog log(String runId, String step) {
    return new RecordingLog(
        dir.resolve("runs").resolve(runId).resolve("logs").resolve(step + ".log"));
  }

  /** Every instance moto knows that is tagged with {@code runId}, whatever its state. */
  public List<Instance> instancesOf(String runId) {
    return clients.instancesOf(runId);
  }

  /** Instances of any run that are not terminated (or terminating). */
  public List<Instance> alive() {
    return clients.alive();
  }

  public MotoServer moto() {
    return moto;
  }

  @Override
  public void close() {
    opened.forEach(Target::close);
    clients.close();
  }
}
