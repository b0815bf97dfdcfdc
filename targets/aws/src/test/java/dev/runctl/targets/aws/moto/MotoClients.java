package dev.runctl.targets.aws.moto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.ssm.SsmClient;

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
  public final SsmClient ssm =
      SsmClient.builder().httpClient(UrlConnectionHttpClient.create()).build();

  /** The names of the Parameter Store parameters under {@code prefix} (no value is read). */
  public List<String> parameterNames(String prefix) {
    List<String> names = new ArrayList<>();
    ssm.describeParametersPaginator(r -> r.maxResults(50))
        .forEach(
            page ->
                page.parameters().stream()
                    .map(p -> p.name())
                    .filter(n -> n.startsWith(prefix))
                    .forEach(names::add));
    return names;
  }

  /** Every SSM command moto recorded, by id, with the text of its parameters (the commands run). */
  public Map<String, String> commandParameters() {
    Map<String, String> out = new LinkedHashMap<>();
    ssm.listCommandsPaginator(l -> l.maxResults(50))
        .commands()
        .forEach(c -> out.put(c.commandId(), c.parameters().toString()));
    return out;
  }

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
    ssm.close();
  }
}
