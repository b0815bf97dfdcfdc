package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.FileSlice;
import dev.runctl.engine.spi.Health;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.RemoteFile;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A machine reached with OpenSSH: the run's workdir there, its processes, its files. */
final class SshMachine implements Machine {
  private final SshClient ssh;
  private final HostPaths paths;
  private final SshProcesses processes;
  private final Map<String, String> description;

  SshMachine(SshClient ssh, HostPaths paths, Map<String, String> description) {
    this.ssh = ssh;
    this.paths = paths;
    this.processes = new SshProcesses(ssh, paths);
    this.description = Map.copyOf(description);
  }

  @Override
  public String id() {
    return "ssh:" + ssh.config().host();
  }

  @Override
  public String workdir() {
    return paths.workdir();
  }

  @Override
  public String cacheDir() {
    return paths.cache();
  }

  @Override
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("machine_id", id());
    out.put("host", ssh.config().host());
    out.put("workdir", paths.workdir());
    out.put("python", ssh.config().python());
    out.putAll(description);
    return out;
  }

  /** Alive when a command gets through; interrupted when the host does not answer. */
  @Override
  public Health health() {
    try {
      return ssh.script("true\n").exitCode() == 0 ? Health.ALIVE : Health.INTERRUPTED;
    } catch (SshErrors.Unreachable e) {
      return Health.INTERRUPTED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Health.INTERRUPTED;
    }
  }

  @Override
  public SyncResult sync(SyncRequest request) throws InterruptedException {
    return new SshSync(ssh, paths).sync(request);
  }

  @Override
  public ExecResult exec(CommandSpec command, StepLog log) throws InterruptedException {
    return new SshExec(ssh, paths).run(command, log);
  }

  @Override
  public DetachedProcess start(DetachedSpec spec) throws InterruptedException {
    return processes.start(spec);
  }

  @Override
  public Optional<DetachedProcess> attach(String handle) throws InterruptedException {
    String prefix = "ssh:" + paths.runId() + ":";
    if (!handle.startsWith(prefix)) {
      return Optional.empty();
    }
    return processes.attach(handle.substring(prefix.length())).map(p -> (DetachedProcess) p);
  }

  /** The process of that name in this run's folder on the host, running or ended. */
  @Override
  public Optional<DetachedProcess> attachByName(String name) throws InterruptedException {
    return processes.attach(name).map(p -> (DetachedProcess) p);
  }

  @Override
  public List<RemoteFile> list(String path) throws InterruptedException {
    Map<String, String> vars = Map.of("W", paths.workdir(), "P", path);
    SshClient.Result r = ssh.script(Scripts.of(vars, "list.sh"));
    String[] f = new String(r.stdout(), StandardCharsets.UTF_8).split("\0");
    List<RemoteFile> out = new ArrayList<>();
    for (int i = 0; i + 2 < f.length; i += 3) {
      String p = f[i].startsWith("./") ? f[i].substring(2) : f[i];
      long millis = (long) (Double.parseDouble(f[i + 2]) * 1000);
      out.add(new RemoteFile(p, Long.parseLong(f[i + 1]), millis));
    }
    return out;
  }

  @Override
  public Optional<FileSlice> read(String path, long fromByte, long maxBytes)
      throws InterruptedException {
    long from = Math.max(0, fromByte);
    String max = Long.toString(Math.max(0, maxBytes));
    Map<String, String> vars = Map.of("P", paths.resolve(path), "FROM", "" + from, "MAX", max);
    byte[] out = ssh.script(Scripts.of(vars, "read.sh")).stdout();
    int nl = 0;
    while (nl < out.length && out[nl] != '\n') {
      nl++;
    }
    String head = new String(out, 0, nl, StandardCharsets.UTF_8);
    if (!head.startsWith("@@present ")) {
      return Optional.empty();
    }
    long size = Long.parseLong(head.substring(10).trim());
    byte[] bytes = nl < out.length ? Arrays.copyOfRange(out, nl + 1, out.length) : new byte[0];
    return Optional.of(new FileSlice(from, bytes, size));
  }

  @Override
  public void fetch(String path, Path localDestination) throws InterruptedException {
    new SshFetch(ssh, paths).fetch(path, localDestination);
  }

  SshProcesses processes() {
    return processes;
  }
}
