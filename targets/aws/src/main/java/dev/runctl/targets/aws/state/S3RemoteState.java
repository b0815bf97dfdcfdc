package dev.runctl.targets.aws.state;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.RemoteState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A bucket and prefix as a {@link RemoteState}: plain puts and gets, a listing, and the two
 * conditional puts the lock is made of ({@code If-None-Match: *}, {@code If-Match: <etag>}, whose
 * refusal is HTTP 412, or 409 when a concurrent conditional write won). Calls end within a minute,
 * retries included, so that a store that does not answer delays shipping instead of hanging it.
 */
final class S3RemoteState implements RemoteState {
  private final S3Client s3;
  private final String bucket;
  private final String prefix;
  private final String name;

  S3RemoteState(String bucket, String prefix, Optional<String> region, String name) {
    this.bucket = bucket;
    this.prefix = prefix.isEmpty() ? "" : prefix + "/";
    this.name = name;
    this.s3 =
        S3Client.builder()
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(30)))
            .region(region(region))
            .forcePathStyle(true)
            .serviceConfiguration(c -> c.expectContinueEnabled(false))
            .overrideConfiguration(
                ClientOverrideConfiguration.builder()
                    .retryStrategy(
                        AwsRetryStrategy.standardRetryStrategy().toBuilder()
                            .maxAttempts(4)
                            .circuitBreakerEnabled(false)
                            .build())
                    .apiCallTimeout(Duration.ofSeconds(60))
                    .build())
            .build();
  }

  private static Region region(Optional<String> configured) {
    if (configured.isPresent()) {
      return Region.of(configured.get());
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      throw new RunctlException(
          ErrorCategory.USAGE,
          "no AWS region for the shared state: state: names none and the AWS SDK found none",
          "set region: under state:, or AWS_REGION, or region in ~/.aws/config");
    }
  }

  private String full(String key) {
    return prefix + key;
  }

  @Override
  public String put(String key, byte[] data) {
    return call(
        "write",
        key,
        () ->
            s3.putObject(p -> p.bucket(bucket).key(full(key)), RequestBody.fromBytes(data)).eTag());
  }

  @Override
  public Optional<Blob> get(String key) {
    return call(
        "read",
        key,
        () -> {
          try {
            ResponseBytes<GetObjectResponse> r =
                s3.getObjectAsBytes(g -> g.bucket(bucket).key(full(key)));
            return Optional.of(new Blob(r.asByteArray(), r.response().eTag()));
          } catch (NoSuchKeyException e) {
            return Optional.empty();
          }
        });
  }

  @Override
  public boolean exists(String key) {
    return call(
        "look for",
        key,
        () -> {
          try {
            s3.headObject(h -> h.bucket(bucket).key(full(key)));
            return true;
          } catch (NoSuchKeyException e) {
            return false;
          } catch (S3Exception e) {
            if (e.statusCode() == 404) {
              return false;
            }
            throw e;
          }
        });
  }

  @Override
  public List<Listed> list(String keyPrefix) {
    return call(
        "list",
        keyPrefix,
        () -> {
          List<Listed> out = new ArrayList<>();
          for (S3Object o :
              s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(full(keyPrefix))).contents()) {
            out.add(new Listed(o.key().substring(prefix.length()), o.size(), o.eTag()));
          }
          return out;
        });
  }

  @Override
  public List<String> folders(String keyPrefix) {
    return call(
        "list",
        keyPrefix,
        () -> {
          List<String> out = new ArrayList<>();
          String p = full(keyPrefix);
          for (CommonPrefix c :
              s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(p).delimiter("/"))
                  .commonPrefixes()) {
            String f = c.prefix().substring(p.length());
            out.add(f.endsWith("/") ? f.substring(0, f.length() - 1) : f);
          }
          return out;
        });
  }

  @Override
  public Optional<String> create(String key, byte[] data) {
    return conditional(
        key,
        () ->
            s3.putObject(
                    p -> p.bucket(bucket).key(full(key)).ifNoneMatch("*"),
                    RequestBody.fromBytes(data))
                .eTag());
  }

  @Override
  public Optional<String> replace(String key, byte[] data, String etag) {
    return conditional(
        key,
        () ->
            s3.putObject(
                    p -> p.bucket(bucket).key(full(key)).ifMatch(etag), RequestBody.fromBytes(data))
                .eTag());
  }

  private Optional<String> conditional(String key, Supplier<String> put) {
    return call(
        "write",
        key,
        () -> {
          try {
            return Optional.of(put.get());
          } catch (S3Exception e) {
            if (e.statusCode() == 412 || e.statusCode() == 409 || e.statusCode() == 404) {
              return Optional.empty(); // the condition did not hold (or a concurrent write won)
            }
            throw e;
          }
        });
  }

  @Override
  public void delete(String key) {
    call(
        "remove",
        key,
        () -> {
          s3.deleteObject(d -> d.bucket(bucket).key(full(key)));
          return null;
        });
  }

  private <T> T call(String what, String key, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      String message = RunctlException.reasonOf(e);
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot " + what + " " + name + "/" + key + ": " + firstLine(message),
          e instanceof S3Exception s && (s.statusCode() == 403 || s.statusCode() == 404)
              ? "check that the bucket exists and that these credentials may use it (docs/aws.md,"
                  + " \"Shared state\")"
              : "check the network and the AWS credentials; runctl keeps the run locally meanwhile",
          e);
    }
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public void close() {
    s3.close();
  }
}
