package dev.runctl.targets.aws.moto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The patched moto_server ({@code src/test/python/runctl_moto.py}) for a test class: started on
 * 127.0.0.1 on a free port, reset before each test, stopped by pid after the class. The SDK finds
 * it through the {@code aws.endpointUrl} system property (and test credentials and region). Without
 * Python moto the tests are skipped, unless {@code RUNCTL_REQUIRE_MOTO=1}: then they fail.
 */
public final class MotoServer implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  public static final String PROFILE = "runctl-ssm";
  private Process process;
  private int port;
  private Path sandbox;
  private Path logFile;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    reset();
  }

  public static String python() {
    String p = System.getenv("RUNCTL_MOTO_PYTHON");
    return p == null || p.isBlank() ? "python3" : p;
  }

  /** True when python3 can import moto; else skips (or fails with RUNCTL_REQUIRE_MOTO=1). */
  public static void requireMoto() {
    boolean ok;
    try {
      Process p =
          new ProcessBuilder(python(), "-c", "import moto, werkzeug, boto3")
              .redirectErrorStream(true)
              .start();
      p.getInputStream().readAllBytes();
      ok = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      ok = false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ok = false;
    }
    if (!ok && "1".equals(System.getenv("RUNCTL_REQUIRE_MOTO"))) {
      throw new IllegalStateException(
          "RUNCTL_REQUIRE_MOTO=1 but '"
              + python()
              + "' cannot import moto: pip install"
              + " 'moto[server]==5.2.1' boto3 awscli");
    }
    Assumptions.assumeTrue(ok, "python moto is not installed; AWS tests skipped");
  }

  public synchronized void start() throws IOException, InterruptedException {
    if (process != null) {
      return;
    }
    requireMoto();
    Path script = launcher();
    if (!Files.exists(script)) {
      throw new IllegalStateException("launcher not found: " + script);
    }
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    sandbox = Files.createTempDirectory("runctl-moto-");
    logFile = sandbox.resolve("moto.log");
    process =
        new ProcessBuilder(
                python(),
                script.toString(),
                "--port",
                Integer.toString(port),
                "--sandbox",
                sandbox.resolve("sandbox").toString())
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile())
            .start();
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      try {
        get("/runctl-moto/stats");
        break;
      } catch (IOException e) {
        if (!process.isAlive() || Instant.now().isAfter(deadline)) {
          String log = Files.readString(logFile);
          stop();
          throw new IllegalStateException("moto did not start:\n" + log, e);
        }
        Thread.sleep(200);
      }
    }
    System.setProperty("aws.endpointUrl", endpoint());
    System.setProperty("aws.region", "us-east-1");
    System.setProperty("aws.accessKeyId", "testing");
    System.setProperty("aws.secretAccessKey", "testing");
  }

  /** The launcher script, from this module's folder or from a sibling module's (the CLI's). */
  static Path launcher() {
    String configured = System.getProperty("runctl.moto.launcher");
    if (configured != null) {
      return Path.of(configured).toAbsolutePath();
    }
    Path here = Path.of("src/test/python/runctl_moto.py").toAbsolutePath();
    if (Files.exists(here)) {
      return here;
    }
    return Path.of("../targets/aws/src/test/python/runctl_moto.py").toAbsolutePath().normalize();
  }

  public synchronized void stop() {
    if (process == null) {
      return;
    }
    long pid = process.pid();
    process.destroy(); // SIGTERM: the launcher kills its sandboxes' processes, then exits
    try {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
    deleteQuietly(sandbox);
  }

  private static void deleteQuietly(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a leftover temp folder is harmless
    }
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  /** The folder an instance's commands run in (its HOME). */
  public Path sandbox(String instanceId) {
    return sandbox.resolve("sandbox").resolve(instanceId);
  }

  public Path log() {
    return logFile;
  }

  /** Clears all state, then creates the instance profile the tests launch with. */
  public void reset() {
    post("/moto-api/reset", "{}");
    post("/runctl-moto/setup", "{\"instance_profile\": \"" + PROFILE + "\"}");
  }

  /** Sets faults, e.g. {@code {"capacity": "spot"}} or {@code {"throttle_every": 3, ...}}. */
  public String faults(String json) {
    return post("/runctl-moto/faults", json);
  }

  /** A spot reclaim: the instance becomes terminated and its processes die. */
  public void interrupt(String instanceId) {
    post("/runctl-moto/interrupt", "{\"instance_id\": \"" + instanceId + "\"}");
  }

  /**
   * A spot reclaim whose processes die first and whose state changes {@code stateDelaySeconds}
   * later; with {@code notice} the instance's metadata shows a spot interruption notice.
   */
  public void interrupt(String instanceId, double stateDelaySeconds, boolean notice) {
    post(
        "/runctl-moto/interrupt",
        "{\"instance_id\": \""
            + instanceId
            + "\", \"state_delay\": "
            + stateDelaySeconds
            + ", \"notice\": "
            + notice
            + "}");
  }

  /** Counters: run_instances, throttled, commands, requests, and ec2_requests etc. per service. */
  public Map<String, Long> stats() {
    try {
      String body = get("/runctl-moto/stats");
      Map<String, Long> out = new java.util.TreeMap<>();
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\"(\\w+)\": (\\d+)").matcher(body);
      while (m.find()) {
        out.put(m.group(1), Long.parseLong(m.group(2)));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String get(String path) throws IOException {
    HttpURLConnection c =
        (HttpURLConnection) URI.create(endpoint() + path).toURL().openConnection();
    c.setConnectTimeout(2000);
    c.setReadTimeout(30000);
    try {
      return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }

  private String post(String path, String json) {
    try {
      HttpURLConnection c =
          (HttpURLConnection) URI.create(endpoint() + path).toURL().openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setConnectTimeout(2000);
      c.setReadTimeout(60000);
      c.setRequestProperty("Content-Type", "application/json");
      c.getOutputStream().write(json.getBytes(StandardCharsets.UTF_8));
      try {
        return new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("moto control call " + path + " failed", e);
    }
  }
}
