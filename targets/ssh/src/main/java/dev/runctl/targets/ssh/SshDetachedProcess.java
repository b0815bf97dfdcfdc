package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.ProcessPoll;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * A process under runctl's wrapper on the host, looked at with one command over the master
 * connection per poll. A poll that cannot reach the host retries with backoff ({@link Reconnect})
 * for up to {@code reconnect_timeout}: a dropped connection is not a failed training.
 */
final class SshDetachedProcess implements DetachedProcess {
  static final long MAX_CHUNK = 1 << 20;

  private final SshProcesses processes;
  private final String name;
  private final String watch;

  SshDetachedProcess(SshProcesses processes, String name, String watch) {
    this.processes = processes;
    this.name = name;
    this.watch = watch;
  }

  @Override
  public String handle() {
    return processes.handle(name);
  }

  @Override
  public ProcessPoll poll(long offset) throws InterruptedException {
    SshClient.Result r =
        Reconnect.retrying(
            processes.ssh(),
            "follow " + name,
            () -> processes.poll(name, watch, offset, MAX_CHUNK));
    return parse(r.stdout(), offset);
  }

  static ProcessPoll parse(byte[] out, long offset) {
    int nl = 0;
    while (nl < out.length && out[nl] != '\n') {
      nl++;
    }
    String first = new String(out, 0, nl, StandardCharsets.UTF_8);
    byte[] payload = nl < out.length ? Arrays.copyOfRange(out, nl + 1, out.length) : new byte[0];
    if (!first.startsWith("@@state ")) {
      return new ProcessPoll(ProcessPoll.State.LOST, OptionalInt.empty(), payload, offset, "-");
    }
    String[] f = first.substring(8).trim().split(" ");
    long next = offset + payload.length;
    long size = f.length > 2 ? parseLong(f[2], next) : next;
    String sig = f.length > 3 ? f[3] : "-";
    return switch (f[0]) {
      case "EXITED" ->
          next < size
              ? new ProcessPoll(ProcessPoll.State.RUNNING, OptionalInt.empty(), payload, next, sig)
              : new ProcessPoll(
                  ProcessPoll.State.EXITED,
                  OptionalInt.of((int) parseLong(f[1], -1)),
                  payload,
                  next,
                  sig);
      case "RUNNING" ->
          new ProcessPoll(ProcessPoll.State.RUNNING, OptionalInt.empty(), payload, next, sig);
      default -> new ProcessPoll(ProcessPoll.State.LOST, OptionalInt.empty(), payload, next, sig);
    };
  }

  @Override
  public void terminate(Duration grace) throws InterruptedException {
    Reconnect.retrying(
        processes.ssh(),
        "stop " + name,
        () -> {
          processes.terminate(name, grace);
          return null;
        });
  }

  private static long parseLong(String s, long fallback) {
    try {
      return Long.parseLong(s.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
