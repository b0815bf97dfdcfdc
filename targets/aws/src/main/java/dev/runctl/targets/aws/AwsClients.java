package dev.runctl.targets.aws;

import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The three SDK clients of one run, sharing one synchronous HTTP client, in the target's region.
 * Credentials and endpoint come from the SDK's standard chains (profiles, SSO, environment, {@code
 * AWS_ENDPOINT_URL}, {@code aws.endpointUrl}); S3 uses path-style addressing. Throttling and 5xx
 * are retried by the SDK with backoff (up to 8 attempts, no circuit breaker, so that a burst of
 * throttling slows runctl down instead of failing it).
 */
final class AwsClients implements AutoCloseable {
  static {
    // The JDK keeps at most 5 idle connections per host by default (read once, when its cache is
    // first used): the 8 upload threads of a first sync then closed and opened connections for
    // every other blob. Unless the user set it, keep one per thread and more.
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", "16");
    }
  }

  private final SdkHttpClient http;
  private final Region region;
  final Ec2Client ec2;
  final SsmClient ssm;
  final S3Client s3;

  AwsClients(AwsConfig config) {
    this(resolveRegion(config), null, null);
  }

  /**
   * Clients for {@code region}; {@code endpoint} and {@code credentials}, when not null, replace
   * the SDK's chains (the class-data-sharing warm-up, {@link AwsWarmup}).
   */
  AwsClients(Region region, URI endpoint, AwsCredentialsProvider credentials) {
    this.region = region;
    this.http =
        UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60))
            .build();
    this.ec2 = common(Ec2Client.builder(), endpoint, credentials).build();
    this.ssm = common(SsmClient.builder(), endpoint, credentials).build();
    this.s3 =
        common(S3Client.builder(), endpoint, credentials)
            .forcePathStyle(true)
            // no `Expect: 100-continue` round trip before each small blob: the first upload of
            // 2,000 files of 10 KiB waited on it once per file
            .serviceConfiguration(c -> c.expectContinueEnabled(false))
            // each blob carries its SHA-256 (BlobStore), which S3 checks: no CRC32 computed on
            // top of it for requests that do not require one
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .build();
  }

  private <B extends AwsSyncClientBuilder<B, ?> & AwsClientBuilder<B, ?>> B common(
      B builder, URI endpoint, AwsCredentialsProvider credentials) {
    builder
        .httpClient(http)
        .region(region)
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .retryStrategy(
                    AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(8)
                        .circuitBreakerEnabled(false)
                        .build())
                .apiCallTimeout(Duration.ofMinutes(5))
                .build());
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    if (credentials != null) {
      builder.credentialsProvider(credentials);
    }
    return builder;
  }

  String region() {
    return region.id();
  }

  /**
   * An EC2 client for a quick look ({@code runctl runs}): every call ends within {@code
   * callTimeout}, retries included (two attempts), so that an unreachable endpoint costs seconds,
   * not minutes. The caller closes it.
   */
  static Ec2Client quickEc2(Region region, Duration callTimeout) {
    Duration connect =
        callTimeout.compareTo(Duration.ofSeconds(5)) < 0 ? callTimeout : Duration.ofSeconds(5);
    return Ec2Client.builder()
        .httpClientBuilder(
            UrlConnectionHttpClient.builder().connectionTimeout(connect).socketTimeout(callTimeout))
        .region(region)
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .retryStrategy(
                    AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(2)
                        .circuitBreakerEnabled(false)
                        .build())
                .apiCallTimeout(callTimeout)
                .build())
        .build();
  }

  /** An S3 client for a quick look, with the limits of {@link #quickEc2}. */
  static S3Client quickS3(Region region, Duration callTimeout) {
    Duration connect =
        callTimeout.compareTo(Duration.ofSeconds(5)) < 0 ? callTimeout : Duration.ofSeconds(5);
    return S3Client.builder()
        .httpClientBuilder(
            UrlConnectionHttpClient.builder().connectionTimeout(connect).socketTimeout(callTimeout))
        .region(region)
        .forcePathStyle(true)
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .retryStrategy(
                    AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(2)
                        .circuitBreakerEnabled(false)
                        .build())
                .apiCallTimeout(callTimeout)
                .build())
        .build();
  }

  static Region resolveRegion(AwsConfig config) {
    return Region.of(config.region());
  }

  @Override
  public void close() {
    ec2.close();
    ssm.close();
    s3.close();
    http.close();
  }
}
