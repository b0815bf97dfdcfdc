package dev.runctl.engine.testing.model;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.FileSlice;
import dev.runctl.engine.spi.Health;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.RemoteFile;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A machine of the {@link ModelWorld}, every call an action of the process that makes it; a call to
 * a machine that was given back fails. Commands are {@code check=a,b} (exit 1 naming the first
 * missing file) and {@code write=c,d}. A detached process checks that {@code code} and {@code venv}
 * are there when it starts; after two polls it writes {@code checkpoints/} and exits 0.
 */
final class ModelMachine implements Machine {
  private final ModelTarget target;
  private final ModelWorld world;
  private final String id;

  ModelMachine(ModelTarget target, String id) {
    this.target = target;
    this.world = target.world();
    this.id = id;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String workdir() {
    return "/model/" + id;
  }

  @Override
  public Map<String, String> describe() {
    return Map.of("machine_id", id);
  }

  @Override
  public Health health() {
    return world.alive().contains("machine " + id) ? Health.ALIVE : Health.GONE;
  }

  @Override
  public SyncResult sync(SyncRequest request) throws InterruptedException {
    return target.act(
        () -> {
          Map<String, String> files = world.files(id);
          for (ManifestEntry e : request.files()) {
            files.put(e.path(), e.sha256());
          }
          return new SyncResult(request.files().size(), 0, 0, List.of());
        });
  }

  @Override
  public ExecResult exec(CommandSpec command, StepLog log) throws InterruptedException {
    log.line("exec " + command.argv());
    return target.act(
        () -> {
          Map<String, String> files = world.files(id);
          for (String arg : command.argv()) {
            List<String> paths = arg.contains("=") ? split(arg) : List.of();
            if (arg.startsWith("check=")) {
              for (String p : paths) {
                if (!files.containsKey(p)) {
                  return new ExecResult(1, "missing " + p + " on " + id);
                }
              }
            } else if (arg.startsWith("write=")) {
              paths.forEach(p -> files.put(p, "written"));
            }
          }
          return new ExecResult(0, "");
        });
  }

  private static List<String> split(String arg) {
    return List.of(arg.substring(arg.indexOf('=') + 1).split(","));
  }

  @Override
  public DetachedProcess start(DetachedSpec spec) throws InterruptedException {
    return new Proc(target.act(() -> world.startProc(id, spec.name())));
  }

  @Override
  public Optional<DetachedProcess> attach(String handle) throws InterruptedException {
    return target.act(
        () ->
            world
                .proc(handle)
                .filter(p -> world.aliveMachine(p.machine))
                .map(p -> (DetachedProcess) new Proc(handle)));
  }

  @Override
  public Optional<DetachedProcess> attachByName(String name) throws InterruptedException {
    return target.act(() -> world.lastProc(id, name).map(h -> (DetachedProcess) new Proc(h)));
  }

  @Override
  public List<RemoteFile> list(String path) throws InterruptedException {
    return target.act(
        () ->
            world.files(id).keySet().stream()
                .filter(p -> p.equals(path) || p.startsWith(path + "/"))
                .map(p -> new RemoteFile(p, 1, 0))
                .toList());
  }

  @Override
  public Optional<FileSlice> read(String path, long fromByte, long maxBytes)
      throws InterruptedException {
    return target.act(
        () ->
            Optional.ofNullable(world.files(id).get(path))
                .map(v -> FileSlice.of(v.getBytes(StandardCharsets.UTF_8), fromByte, maxBytes)));
  }

  @Override
  public void fetch(String path, Path localDestination) throws InterruptedException {
    List<String> names = new ArrayList<>();
    list(path).forEach(f -> names.add(f.path()));
    for (String n : names) {
      try {
        Path to = localDestination.resolve(n);
        Files.createDirectories(to.getParent());
        Files.writeString(to, n);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }

  /** A training process: its state lives in the world, not in this object. */
  private final class Proc implements DetachedProcess {
    private final String handle;

    Proc(String handle) {
      this.handle = handle;
    }

    @Override
    public String handle() {
      return handle;
    }

    @Override
    public ProcessPoll poll(long offset) throws InterruptedException {
      int exit =
          target.act(
              () -> {
                ModelWorld.Proc p = world.proc(handle).orElseThrow();
                Map<String, String> files = world.files(p.machine);
                if (p.exit < 0 && !(files.containsKey("code") && files.containsKey("venv"))) {
                  p.exit = 2;
                } else if (p.exit < 0 && --p.pollsLeft <= 0) {
                  files.put("checkpoints/epoch-1", "weights");
                  files.put("checkpoints/metrics.json", "{\"accuracy\": 0.95}");
                  p.exit = 0;
                }
                return p.exit;
              });
      return new ProcessPoll(
          exit < 0 ? ProcessPoll.State.RUNNING : ProcessPoll.State.EXITED,
          exit < 0 ? OptionalInt.empty() : OptionalInt.of(exit),
          new byte[0],
          offset,
          "");
    }

    @Override
    public void terminate(Duration grace) throws InterruptedException {
      target.act(
          () -> {
            world.proc(handle).filter(p -> p.exit < 0).ifPresent(p -> p.exit = 143);
            return null;
          });
    }
  }
}
