package dev.runctl.targets.aws;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.FileSlice;
import dev.runctl.engine.spi.Health;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.RemoteFile;
import dev.runctl.engine.spi.SharedStore;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** An EC2 instance reached through SSM; files travel through the bucket. */
final class AwsMachine implements Machine {
  private final String instanceId;
  private final RemotePaths paths;
  private final RemoteShell shell;
  private final Processes processes;
  private final S3Sync s3Sync;
  private final InstanceWatch watch;
  private final BucketFiles files;
  private final Map<String, String> description;

  AwsMachine(
      String instanceId,
      RemotePaths paths,
      RemoteShell shell,
      Processes processes,
      S3Sync s3Sync,
      InstanceWatch watch,
      BucketFiles files,
      Map<String, String> description) {
    this.instanceId = instanceId;
    this.paths = paths;
    this.shell = shell;
    this.processes = processes;
    this.s3Sync = s3Sync;
    this.watch = watch;
    this.files = files;
    this.description = Map.copyOf(description);
  }

  @Override
  public String id() {
    return instanceId;
  }

  @Override
  public String workdir() {
    return paths.workdir();
  }

  /** Virtual environments and other caches, kept across runs on this instance. */
  @Override
  public String cacheDir() {
    return paths.cache();
  }

  /** The bucket, under {@code runctl/cache/}. */
  @Override
  public Optional<SharedStore> sharedStore() {
    return Optional.of(files.sharedStore());
  }

  @Override
  public Map<String, String> describe() {
    return new LinkedHashMap<>(description);
  }

  @Override
  public Health health() {
    return watch.health(instanceId);
  }

  @Override
  public SyncResult sync(SyncRequest request) throws InterruptedException {
    return s3Sync.sync(request);
  }

  @Override
  public ExecResult exec(CommandSpec command, StepLog log) throws InterruptedException {
    String name = "exec-" + UUID.randomUUID().toString().substring(0, 8);
    AwsDetachedProcess p = processes.start(new DetachedSpec(name, command, Optional.empty()));
    long offset = 0;
    Tail tail = new Tail(4000);
    try {
      while (true) {
        ProcessPoll poll = p.poll(offset, 20);
        if (poll.output().length > 0) {
          log.output(poll.output(), 0, poll.output().length);
          tail.add(poll.output());
        }
        offset = poll.nextOffset();
        switch (poll.state()) {
          case EXITED:
            return new ExecResult(poll.exitCode().orElse(-1), tail.text());
          case LOST:
            watch.requireAlive(instanceId);
            return new ExecResult(-1, tail.text() + "\n(the command's process vanished)");
          default:
            break;
        }
      }
    } catch (InterruptedException e) {
      p.terminate(Duration.ofSeconds(5));
      Thread.currentThread().interrupt();
      throw e;
    }
  }

  @Override
  public DetachedProcess start(DetachedSpec spec) throws InterruptedException {
    return processes.start(spec);
  }

  /**
   * Puts the run's watched folders (checkpoints) back from the bucket; see {@link WatchedFolders}.
   */
  List<String> restoreWatched(StepLog log) throws InterruptedException {
    return processes.watched().restore(log);
  }

  @Override
  public Optional<DetachedProcess> attach(String handle) throws InterruptedException {
    String[] parts = handle.split(":", 3);
    if (parts.length != 3 || !parts[0].equals("aws") || !parts[1].equals(instanceId)) {
      return Optional.empty(); // started on another (replaced) instance
    }
    return processes.attach(parts[2]).map(p -> (DetachedProcess) p);
  }

  @Override
  public Optional<DetachedProcess> attachByName(String name) throws InterruptedException {
    return processes.attach(name).map(p -> (DetachedProcess) p);
  }

  @Override
  public List<RemoteFile> list(String path) throws InterruptedException {
    Map<String, String> vars = Map.of("P", path, "W", paths.workdir());
    byte[] out =
        shell
            .capture(
                "list " + path,
                vars,
                "cd \"$W\" 2>/dev/null || exit 0\n"
                    + "[ -e \"$P\" ] && find \"$P\" -type f -printf '%p\\0%s\\0%T@\\0' > \"$OUT\"\n"
                    + "runctl_emit",
                Duration.ofMinutes(5))
            .payload();
    String[] f = new String(out, StandardCharsets.UTF_8).split("\0");
    List<RemoteFile> result = new ArrayList<>();
    for (int i = 0; i + 2 < f.length; i += 3) {
      String p = f[i].startsWith("./") ? f[i].substring(2) : f[i];
      long millis = (long) (Double.parseDouble(f[i + 2]) * 1000);
      result.add(new RemoteFile(p, Long.parseLong(f[i + 1]), millis));
    }
    return result;
  }

  @Override
  public Optional<FileSlice> read(String path, long fromByte, long maxBytes)
      throws InterruptedException {
    long from = Math.max(0, fromByte);
    String max = Long.toString(Math.max(0, maxBytes));
    Map<String, String> vars = Map.of("P", paths.resolve(path), "FROM", "" + from, "MAX", max);
    RemoteShell.Captured c =
        shell.capture("read " + path, vars, RemoteShell.body("read.sh"), Duration.ofMinutes(5));
    String size = c.marker("size");
    return size == null
        ? Optional.empty()
        : Optional.of(new FileSlice(from, c.payload(), Long.parseLong(size.trim())));
  }

  @Override
  public void fetch(String path, Path localDestination) throws InterruptedException {
    files.fetch(shell, paths.resolve(path), localDestination);
  }

  /** The last bytes of a command's output, for messages. */
  private static final class Tail {
    private final int max;
    private byte[] buf = new byte[0];

    Tail(int max) {
      this.max = max;
    }

    void add(byte[] more) {
      byte[] all = new byte[buf.length + more.length];
      System.arraycopy(buf, 0, all, 0, buf.length);
      System.arraycopy(more, 0, all, buf.length, more.length);
      buf =
          all.length <= max ? all : java.util.Arrays.copyOfRange(all, all.length - max, all.length);
    }

    String text() {
      return new String(buf, StandardCharsets.UTF_8);
    }
  }
}
