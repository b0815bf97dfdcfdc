package dev.runctl.targets.aws;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;

/**
 * The AWS side of the launcher's class-data-sharing run ({@code CdsWarmup} in the cli): builds the
 * clients of {@link AwsClients} and makes a call of each protocol (S3's REST, EC2's query, SSM's
 * JSON) against a stand-in endpoint on 127.0.0.1, so that the archive maps the SDK's classes
 * instead of each aws run loading and verifying about 4,000 of them from the jars (on 2 loaded
 * cores, the clients took 1 to 3 s to build before the first blob of a sync went out). It never
 * reads the user's credentials or configuration and reaches no AWS endpoint.
 */
public final class AwsWarmup {
  private static final byte[] LIST =
      ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
              + "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
              + "<Name>warmup</Name><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated>"
              + "</ListBucketResult>")
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] INSTANCES =
      ("<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
              + "<requestId>warmup</requestId><reservationSet/></DescribeInstancesResponse>")
          .getBytes(StandardCharsets.UTF_8);
  private static final byte[] PARAMETER =
      "{\"Parameter\":{\"Name\":\"warmup\",\"Type\":\"String\",\"Value\":\"ami-0\"}}"
          .getBytes(StandardCharsets.UTF_8);

  private AwsWarmup() {}

  /** Makes the calls; returns how many requests the stand-in answered (one per call). */
  public static int run() throws IOException {
    AtomicInteger answered = new AtomicInteger();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> answer(exchange, answered));
    server.start();
    try (AwsClients c =
        new AwsClients(
            Region.US_EAST_1,
            URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
            StaticCredentialsProvider.create(AwsBasicCredentials.create("warmup", "warmup")))) {
      byte[] blob = "warmup".getBytes(StandardCharsets.UTF_8);
      String sha = java.util.Base64.getEncoder().encodeToString(BlobStore.sha256(blob));
      c.s3.headBucket(h -> h.bucket("warmup"));
      c.s3
          .listObjectsV2Paginator(l -> l.bucket("warmup").prefix("runctl/blobs/"))
          .contents()
          .forEach(o -> {});
      c.s3.putObject(
          p -> p.bucket("warmup").key("runctl/blobs/x").checksumSHA256(sha),
          RequestBody.fromBytes(blob));
      c.ec2.describeInstances(d -> d.instanceIds("i-0"));
      c.ssm.getParameter(g -> g.name("warmup"));
    } finally {
      server.stop(0);
    }
    return answered.get();
  }

  private static void answer(HttpExchange exchange, AtomicInteger answered) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      byte[] out;
      String type = "application/xml";
      if (contentType != null && contentType.startsWith("application/x-amz-json")) {
        out = PARAMETER;
        type = "application/x-amz-json-1.1";
      } else if (body.startsWith("Action=")) {
        out = INSTANCES;
        type = "text/xml";
      } else if (exchange.getRequestURI().getRawQuery() != null
          && exchange.getRequestURI().getRawQuery().contains("list-type=2")) {
        out = LIST;
      } else {
        out = new byte[0];
      }
      exchange.getResponseHeaders().add("Content-Type", type);
      exchange.getResponseHeaders().add("ETag", "\"warmup\"");
      exchange.getResponseHeaders().add("x-amz-request-id", "warmup");
      answered.incrementAndGet();
      if (out.length == 0) {
        exchange.sendResponseHeaders(200, -1);
      } else {
        exchange.sendResponseHeaders(200, out.length);
        exchange.getResponseBody().write(out);
      }
    }
  }
}
