package dev.runctl.targets.aws;

import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.Liveness;
import dev.runctl.engine.spi.SecretRef;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.Target;
import dev.runctl.engine.spi.TargetCheck;
import dev.runctl.engine.spi.TargetConfig;
import dev.runctl.engine.spi.TargetContext;
import dev.runctl.engine.spi.TargetProvider;
import dev.runctl.engine.spi.TargetRun;
import dev.runctl.engine.spi.TargetSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code aws} target: an EC2 instance (on-demand or spot) reached through SSM, with code,
 * checkpoints and artifacts travelling through an S3 bucket. Configure makes no network call.
 */
public final class AwsTargetProvider implements TargetProvider {
  private final PriceTable prices = PriceTable.load();

  @Override
  public String name() {
    return "aws";
  }

  /**
   * The AWS-held secrets are fetched on the instance through its role ({@link InstanceSecrets}):
   * runctl never reads them. The others reach it through the run's {@link SecretVault}.
   */
  @Override
  public boolean fetchesOnMachine(SecretRef ref) {
    return ref.source().equals("aws_secret") || ref.source().equals("aws_parameter");
  }

  /** Each secret the instance will fetch: it exists (its metadata), looked at from here. */
  @Override
  public List<TargetCheck> checkSecrets(TargetConfig config, List<SecretRef> fetched) {
    String targetRegion = AwsClients.resolveRegion((AwsConfig) config).id();
    List<TargetCheck> out = new java.util.ArrayList<>();
    for (SecretRef ref : fetched) {
      String region = InstanceSecrets.regionOf(ref, targetRegion);
      out.add(
          ref.source().equals("aws_secret")
              ? SecretsManagerSecrets.check(ref, region)
              : SsmParameters.check(ref, region));
    }
    return out;
  }

  @Override
  public SettingsSchema settings() {
    return AwsSettings.SCHEMA;
  }

  @Override
  public TargetConfig configure(TargetSettings spec, Diagnostics diagnostics) {
    return new AwsConfigParser(diagnostics, prices).parse(spec.settings());
  }

  @Override
  public Target open(TargetConfig config, TargetContext context) {
    if (!(config instanceof AwsConfig aws)) {
      throw new IllegalArgumentException("not an aws target config: " + config);
    }
    return new AwsTarget(aws, context);
  }

  /** Credentials, bucket, image and instance profile, looked at and not changed. */
  @Override
  public List<TargetCheck> check(TargetConfig config, String jobName) {
    return AwsChecks.run((AwsConfig) config);
  }

  /** One EC2 client and one look per region for all the runs, instead of one per run. */
  @Override
  public Map<String, Liveness> liveResources(List<TargetRun> runs, Duration timeout) {
    return LiveInstances.of(runs, timeout);
  }
}
