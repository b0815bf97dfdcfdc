package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.aws.moto.MotoServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deps once per job, not once per instance: the first instance fills a wheel cache in the bucket
 * after its install, the next one (another run, so another instance) installs from it without
 * touching the package index. The index is a folder holding a wheel made here, served by {@code
 * python3 -m http.server}, whose log counts every request.
 */
class AwsWheelCacheIT {
  @RegisterExtension static final MotoServer MOTO = new MotoServer();
  private static final String BUCKET = "runctl-wheels";
  @TempDir Path dir;
  MotoProject aws;
  Runctl cli;
  Process index;
  Path indexLog;

  @BeforeEach
  void setUp() throws Exception {
    aws = new MotoProject(MOTO, dir, BUCKET);
    cli = aws.runctl;
  }

  @AfterEach
  void tearDown() throws InterruptedException {
    if (index != null) {
      index.destroy();
      index.waitFor();
    }
    aws.close();
  }

  @Test
  void theSecondInstanceInstallsFromTheBucketWithoutTheIndex() throws Exception {
    int port = startIndex();
    Path spec = spec(port);

    Runctl.Result first = cli.start("apply", spec.toString()).await(Duration.ofMinutes(5));
    assertThat(first.exitCode()).as(first.toString()).isZero();
    String firstRun = aws.run(first.runId());
    long hits = indexRequests();
    assertThat(hits).as("the first instance asked the index").isPositive();
    String firstDeps = Files.readString(cli.runDir(firstRun).resolve("logs/deps.log"));
    assertThat(firstDeps)
        .contains("no wheel cache for these requirements yet")
        .contains("stored the wheels in the cache");
    assertThat(
            aws.s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("runctl/cache/wheels-")).contents())
        .extracting(o -> o.key().substring(o.key().lastIndexOf('/') + 1))
        .containsExactlyInAnyOrder("tinydep-0.1-py3-none-any.whl", "runctl-complete");

    Runctl.Result second = cli.start("apply", spec.toString()).await(Duration.ofMinutes(5));
    assertThat(second.exitCode()).as(second.toString()).isZero();
    String secondRun = aws.run(second.runId());
    assertThat(aws.instances(secondRun).get(0).instanceId())
        .isNotEqualTo(aws.instances(firstRun).get(0).instanceId());
    String secondDeps = Files.readString(cli.runDir(secondRun).resolve("logs/deps.log"));
    assertThat(secondDeps)
        .contains("installing from the wheel cache")
        .contains("Successfully installed tinydep-0.1");
    assertThat(indexRequests())
        .as("requests to the index after the second install")
        .isEqualTo(hits);
    System.out.printf(
        "deps on a fresh instance: %.2f s filling the wheel cache from the index, %.2f s from the"
            + " cache in the bucket (%d index requests, then none)%n",
        depsSeconds(firstRun), depsSeconds(secondRun), hits);
  }

  private double depsSeconds(String runId) throws IOException {
    Map<String, Instant> at = new LinkedHashMap<>();
    for (String line : Files.readAllLines(cli.runDir(runId).resolve("journal.jsonl"))) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile(
                  "\\{\"type\":\"(attempt_started|attempt_ended)\",\"at\":\"([^\"]+)\","
                      + "\"step\":\"deps\"")
              .matcher(line);
      if (m.find()) {
        at.putIfAbsent(m.group(1), Instant.parse(m.group(2)));
      }
    }
    return Duration.between(at.get("attempt_started"), at.get("attempt_ended")).toMillis() / 1e3;
  }

  private long indexRequests() throws IOException {
    return Files.readAllLines(indexLog).stream().filter(l -> l.contains("\"GET ")).count();
  }

  /** A PEP 503 index of one wheel: the folder listing http.server makes is the simple page. */
  private int startIndex() throws Exception {
    Path root = Files.createDirectories(dir.resolve("index/tinydep"));
    writeWheel(root.resolve("tinydep-0.1-py3-none-any.whl"));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    indexLog = dir.resolve("index.log");
    String python = System.getenv().getOrDefault("RUNCTL_MOTO_PYTHON", "python3");
    index =
        new ProcessBuilder(
                python,
                "-m",
                "http.server",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--directory",
                dir.resolve("index").toString())
            .redirectErrorStream(true)
            .redirectOutput(indexLog.toFile())
            .start();
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
        break;
      } catch (IOException e) {
        assertThat(Instant.now()).as("the index answers").isBefore(deadline);
        Thread.sleep(100);
      }
    }
    return port;
  }

  /** A pure-Python wheel: a module, its metadata, and a RECORD with each file's hash. */
  private static void writeWheel(Path wheel) throws Exception {
    Map<String, String> files = new LinkedHashMap<>();
    files.put("tinydep/__init__.py", "VALUE = 42\n");
    files.put(
        "tinydep-0.1.dist-info/METADATA", "Metadata-Version: 2.1\nName: tinydep\nVersion: 0.1\n");
    files.put(
        "tinydep-0.1.dist-info/WHEEL",
        "Wheel-Version: 1.0\nGenerator: runctl-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n");
    StringBuilder record = new StringBuilder();
    try (OutputStream out = Files.newOutputStream(wheel);
        ZipOutputStream zip = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> f : files.entrySet()) {
        byte[] b = f.getValue().getBytes(StandardCharsets.UTF_8);
        zip.putNextEntry(new ZipEntry(f.getKey()));
        zip.write(b);
        zip.closeEntry();
        String hash =
            Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(b));
        record.append(f.getKey()).append(",sha256=").append(hash).append(',').append(b.length);
        record.append('\n');
      }
      record.append("tinydep-0.1.dist-info/RECORD,,\n");
      zip.putNextEntry(new ZipEntry("tinydep-0.1.dist-info/RECORD"));
      zip.write(record.toString().getBytes(StandardCharsets.UTF_8));
      zip.closeEntry();
    }
  }

  private Path spec(int port) throws IOException {
    Files.writeString(aws.project.resolve("requirements.txt"), "tinydep==0.1\n");
    String text =
        """
        version: 1
        name: wheels
        workdir: .
        target:
          provider: aws
          region: us-east-1
          instance_type: t3.medium
          image: {ssm_parameter: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-x86_64}
          iam_instance_profile: runctl-ssm
          bucket: %s
        steps:
          - id: provision
            uses: provision
          - id: sync
            uses: sync
          - id: deps
            uses: deps
            with:
              requirements: requirements.txt
              pip_args: ["--index-url", "http://127.0.0.1:%d/"]
          - id: teardown
            uses: teardown
            when: always
        """
            .formatted(BUCKET, port);
    Path p = aws.project.resolve("wheels.yaml");
    Files.writeString(p, text);
    return p;
  }
}
