package dev.runctl.targets.aws;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.StepException;
import dev.runctl.targets.remote.RemoteScripts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Detached processes on one instance, each under a wrapper ({@code remote/wrapper.sh}) that
 * survives runctl, records pid, exit code and heartbeat, and copies the watched folder to the
 * bucket whenever it changes. The environment travels as an encrypted S3 object that the start
 * script reads into a 0600 file, never as command text or process arguments; the run's secrets do
 * not travel with it: the start script fetches them on the instance ({@link InstanceSecrets}).
 */
final class Processes {
  static final int HEARTBEAT_SECONDS = 2;
  private final RemoteShell shell;
  private final S3Client s3;
  private final String bucket;
  private final RemotePaths paths;
  private final WatchedFolders watched;
  private final InstanceSecrets secrets;

  Processes(
      RemoteShell shell, S3Client s3, String bucket, RemotePaths paths, InstanceSecrets secrets) {
    this.shell = shell;
    this.secrets = secrets;
    this.s3 = s3;
    this.bucket = bucket;
    this.paths = paths;
    this.watched = new WatchedFolders(s3, bucket, shell, paths);
  }

  WatchedFolders watched() {
    return watched;
  }

  AwsDetachedProcess start(DetachedSpec spec) throws InterruptedException {
    String name = RemotePaths.safeName(spec.name());
    CommandSpec cmd = spec.command();
    InstanceSecrets.Delivery delivery = secrets.deliver(cmd.env());
    String envKey = "";
    if (!delivery.env().isEmpty()) {
      envKey = RemotePaths.runPrefix(paths.runId()) + "env/" + UUID.randomUUID();
      byte[] text = Shell.assignments(delivery.env(), false).getBytes(StandardCharsets.UTF_8);
      String key = envKey;
      AwsErrors.run(
          "store the command's environment in s3://" + bucket,
          () ->
              s3.putObject(
                  p -> p.bucket(bucket).key(key).serverSideEncryption(ServerSideEncryption.AES256),
                  RequestBody.fromBytes(text)));
    }
    if (spec.watchPath().isPresent()) {
      watched.remember(name, spec.watchPath().get());
    }
    String cwd = paths.resolve(cmd.cwd().orElse(""));
    String watch = spec.watchPath().map(paths::resolve).orElse("");
    Map<String, String> params = new LinkedHashMap<>();
    params.put("CWD", cwd);
    params.put("WATCH", watch);
    params.put("BUCKET", bucket);
    params.put("CKPT", RemotePaths.watchPrefix(paths.runId(), name));
    params.put("HEARTBEAT", Integer.toString(HEARTBEAT_SECONDS));
    params.put("MASK", String.join(" ", delivery.names()));
    Map<String, String> vars = new LinkedHashMap<>(params);
    vars.put("D", paths.process(name));
    vars.put("ENV_KEY", envKey);
    // the AWS CLI's start costs a second on a small instance: no restore when there is none
    vars.put("RESTORE", watch.isEmpty() || !hasCheckpoints(name) ? "" : "yes");
    vars.put("SECRETS", delivery.fetch());
    vars.put("CMD", "exec " + Shell.words(cmd.argv()));
    vars.put("PARAMS", Shell.assignments(params, false));
    String body =
        RemoteShell.body("start.sh")
            .replace(
                "@WRAPPER@",
                // the wrapper runs as a process of its own: it defines runctl_aws again
                (RemoteShell.body("aws-cli.sh") + RemoteShell.body("wrapper.sh")).strip())
            .replace("@SECRETS_PY@", delivery.none() ? "" : RemoteShell.body("secrets.py").strip())
            .replace("@MASK_PY@", delivery.none() ? "" : RemoteShell.body("mask.py").strip());
    SsmRunner.Result r =
        shell.run("start " + name, RemoteShell.script(vars, body), Duration.ofMinutes(30));
    for (String line : r.stdout().split("\n")) {
      if (line.startsWith("@@secret-failed ")) {
        throw secrets.failure(line, shell.instanceId());
      }
    }
    if (r.stdout().contains("@@alive")) {
      throw StepException.fatal(
          "A process named '" + name + "' is already running on " + shell.instanceId(),
          "runctl resume reattaches to it; runctl cancel stops it");
    }
    if (!r.stdout().contains("@@started")) {
      throw StepException.transientError(
          "Starting '"
              + name
              + "' on "
              + shell.instanceId()
              + " gave no confirmation: "
              + RemoteShell.tail(r.stdout() + r.stderr()),
          "see the step log",
          null);
    }
    return new AwsDetachedProcess(this, name, watch, true);
  }

  /** Whether the bucket holds anything of the folder process {@code name} watches. */
  private boolean hasCheckpoints(String name) {
    String prefix = RemotePaths.watchPrefix(paths.runId(), name);
    return AwsErrors.call(
        "look for checkpoints in s3://" + bucket + "/" + prefix,
        () -> s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefix).maxKeys(1)).keyCount() > 0);
  }

  /**
   * The process of that name, when its folder exists on the instance; a start of that name under
   * way (by a runctl that died during it) is waited for.
   */
  Optional<AwsDetachedProcess> attach(String name) throws InterruptedException {
    String dir = paths.process(name);
    SsmRunner.Result r =
        shell.run(
            "find process " + name,
            RemoteShell.script(
                Map.of("D", dir),
                // under start.sh's lock: a start under way (its runctl died) is waited for
                "mkdir -p \"$(dirname \"$D\")\"; exec 9>\"$D.lock\"; command -v flock >"
                    + " /dev/null && flock 9\n"
                    + "if [ -f \"$D/started\" ]; then echo @@present; . \"$D/params\"; echo \"@@watch"
                    + " $WATCH\"; fi"),
            Duration.ofMinutes(2));
    if (!r.stdout().contains("@@present")) {
      return Optional.empty();
    }
    String watch = "";
    for (String line : r.stdout().split("\n")) {
      if (line.startsWith("@@watch ")) {
        watch = line.substring(8).trim();
      }
    }
    return Optional.of(new AwsDetachedProcess(this, RemotePaths.safeName(name), watch, false));
  }

  /** See {@link SsmRunner#unexpectedEnd}. */
  StepException unexpectedEnd(StepException failure) throws InterruptedException {
    return shell.unexpectedEnd(failure);
  }

  String handle(String name) {
    return "aws:" + shell.instanceId() + ":" + name;
  }

  RemoteShell.Captured poll(String name, String watch, long offset, int waitTenths, long max)
      throws InterruptedException {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("D", paths.process(name));
    vars.put("OFF", Long.toString(offset));
    vars.put("MAX", Long.toString(max));
    vars.put("WAIT", Integer.toString(waitTenths));
    vars.put("WATCH", watch);
    return shell.capture("poll " + name, vars, RemoteShell.body("poll.sh"), Duration.ofMinutes(5));
  }

  void terminate(String name, Duration grace) throws InterruptedException {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("D", paths.process(name));
    vars.put("GRACE", Long.toString(Math.max(1, grace.getSeconds())));
    shell.run(
        "stop " + name, RemoteShell.script(vars, RemoteScripts.terminate()), grace.plusMinutes(2));
  }
}
