package dev.runctl.targets.aws.moto;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The tests' own SDK clients against the moto_server a {@link MotoServer} started (its system
 * properties carry the endpoint, region and test credentials; S3 path-style), and the look-ups at
 * moto's instances that tests make. Shared by the aws target's harness and the CLI's tests.
 */
public final class MotoClients implements AutoCloseable {
  public final Ec2Client ec2 =
      Ec2Client.builder().httpClient(UrlConnectionHttpClient.create()).build();
  public final S3Client s3 =
      S3Client.builder().httpClient(UrlConnectionHttpClient.create()).forcePathStyle(true).build();

  /** Every instance moto knows that is tagged with {@code runId}, whatever its state. */
  public List<Instance> instancesOf(String runId) {
    return instances(Filter.builder().name("tag:runctl:run-id").values(runId).build());
  }

  /** Instances of any run that are not terminated (or terminating). */
  public List<Instance> alive() {
    return instances(
        Filter.builder()
            .name("instance-state-name")
            .values("pending", "running", "stopping", "stopped")
            .build());
  }

  private List<Instance> instances(Filter filter) {
    List<Instance> out = new ArrayList<>();
    ec2.describeInstancesPaginator(r -> r.filters(filter))
        .reservations()
        .forEach(res -> out.addAll(res.instances()));
    return out;
  }

  @Override
  public void close() {
    ec2.close();
    s3.close();
  }
}
