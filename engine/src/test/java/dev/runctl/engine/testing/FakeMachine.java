package dev.runctl.engine.testing;

import dev.runctl.engine.spi.CommandSpec;
import dev.runctl.engine.spi.DetachedProcess;
import dev.runctl.engine.spi.DetachedSpec;
import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.ExecResult;
import dev.runctl.engine.spi.FileSlice;
import dev.runctl.engine.spi.Health;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.ProcessPoll;
import dev.runctl.engine.spi.RemoteFile;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.StepLog;
import dev.runctl.engine.spi.SyncRequest;
import dev.runctl.engine.spi.SyncResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A machine in memory with behaviour: files written by {@link #sync} and {@link #put} can be listed
 * and read; {@code exec} records every command and, by default, succeeds, writing its argv to the
 * log. Failures come on cue: {@link #failNext} queues classified failures, {@link #exitNext} exit
 * codes, {@link #hangNext} a command that blocks until interrupted (a timeout or a cancel stops it,
 * and {@link #stopped} counts that), {@link #interrupt} makes the machine go away.
 */
public final class FakeMachine implements Machine {
  private final String id;
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();
  private final List<CommandSpec> commands = Collections.synchronizedList(new ArrayList<>());
  private final Deque<Object> cues = new ConcurrentLinkedDeque<>();
  private final AtomicInteger stopped = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong bytesRead =
      new java.util.concurrent.atomic.AtomicLong();
  private final AtomicInteger failingReads = new AtomicInteger();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger maxRunning = new AtomicInteger();
  private final Map<String, FakeProcess> processes = new ConcurrentHashMap<>();
  private volatile Health health = Health.ALIVE;
  private volatile java.util.function.Consumer<CommandSpec> onExec = c -> {};

  /** Behaviour of every command (before cues apply): e.g. write the files it would write. */
  public FakeMachine onExec(java.util.function.Consumer<CommandSpec> behaviour) {
    this.onExec = behaviour;
    return this;
  }

  private record Fail(ErrorClass errorClass, boolean retryable) {}

  private record Exit(int code) {}

  private record Hang(CountDownLatch entered) {}

  public FakeMachine(String id) {
    this.id = id;
  }

  public FakeMachine failNext(ErrorClass c, boolean retryable) {
    cues.add(new Fail(c, retryable));
    return this;
  }

  public FakeMachine exitNext(int code) {
    cues.add(new Exit(code));
    return this;
  }

  /** The next command blocks until interrupted; the latch opens when it has started. */
  public CountDownLatch hangNext() {
    CountDownLatch l = new CountDownLatch(1);
    cues.add(new Hang(l));
    return l;
  }

  /** The machine goes away: health says so and the next command fails as an interruption. */
  public void interrupt() {
    health = Health.INTERRUPTED;
    cues.addFirst(new Fail(ErrorClass.INTERRUPTION, true));
  }

  public void put(String path, String content) {
    files.put(path, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Appends to the file at {@code path}, as a process on the machine would. */
  public void append(String path, String content) {
    byte[] more = content.getBytes(StandardCharsets.UTF_8);
    files.merge(
        path,
        more,
        (a, b) -> {
          byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
          System.arraycopy(b, 0, all, a.length, b.length);
          return all;
        });
  }

  /** The next {@code n} reads fail as transient trouble (a connection that dropped). */
  public FakeMachine failNextReads(int n) {
    failingReads.set(n);
    return this;
  }

  /** The bytes every {@link #read} answered so far, together. */
  public long bytesRead() {
    return bytesRead.get();
  }

  public List<CommandSpec> commands() {
    synchronized (commands) {
      return List.copyOf(commands);
    }
  }

  /** Commands that were stopped by an interrupt. */
  public int stopped() {
    return stopped.get();
  }

  /** The most commands that ran at the same time. */
  public int maxConcurrent() {
    return maxRunning.get();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String workdir() {
    return "/fake/" + id;
  }

  @Override
  public Map<String, String> describe() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("machine_id", id);
    d.put("host", id + ".fake");
    return d;
  }

  @Override
  public Health health() {
    return health;
  }

  @Override
  public SyncResult sync(SyncRequest request) {
    long bytes = 0;
    for (ManifestEntry e : request.files()) {
      try {
        byte[] b = Files.readAllBytes(request.localRoot().resolve(e.path()));
        files.put(e.path(), b);
        bytes += b.length;
      } catch (java.io.IOException ex) {
        throw StepException.transientError("cannot read " + e.path(), null, ex);
      }
    }
    List<String> missing = request.mustExist().stream().filter(p -> !files.containsKey(p)).toList();
    return new SyncResult(request.files().size(), bytes, 0, missing);
  }

  @Override
  public ExecResult exec(CommandSpec command, StepLog log) throws InterruptedException {
    commands.add(command);
    int now = running.incrementAndGet();
    maxRunning.accumulateAndGet(now, Math::max);
    try {
      Object cue = cues.poll();
      log.line("exec " + command.argv());
      onExec.accept(command);
      if (cue instanceof Fail f) {
        throw new StepException(
            f.errorClass(), f.retryable(), "fake " + f.errorClass().yaml(), null, null);
      }
      if (cue instanceof Exit e) {
        return new ExecResult(e.code(), "exit " + e.code());
      }
      if (cue instanceof Hang h) {
        h.entered().countDown();
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException ie) {
          stopped.incrementAndGet();
          throw ie;
        }
      }
      return new ExecResult(0, "");
    } finally {
      running.decrementAndGet();
    }
  }

  @Override
  public DetachedProcess start(DetachedSpec spec) {
    FakeProcess p = new FakeProcess(spec.name() + "@" + id);
    if (processes.putIfAbsent(p.handle(), p) != null) {
      throw StepException.fatal("process " + spec.name() + " is running already", null);
    }
    commands.add(spec.command());
    return p;
  }

  @Override
  public Optional<DetachedProcess> attach(String handle) {
    return Optional.ofNullable(processes.get(handle));
  }

  @Override
  public Optional<DetachedProcess> attachByName(String name) {
    return attach(name + "@" + id);
  }

  /** Ends a detached process started on this machine with {@code exitCode}. */
  public void finish(String handle, int exitCode, String output) {
    processes.get(handle).finish(exitCode, output);
  }

  @Override
  public List<RemoteFile> list(String path) {
    return files.entrySet().stream()
        .filter(e -> e.getKey().equals(path) || e.getKey().startsWith(path + "/"))
        .map(e -> new RemoteFile(e.getKey(), e.getValue().length, 0))
        .toList();
  }

  @Override
  public Optional<FileSlice> read(String path, long fromByte, long maxBytes) {
    if (failingReads.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw StepException.transientError("cannot reach " + id + " to read " + path, null, null);
    }
    Optional<FileSlice> slice =
        Optional.ofNullable(files.get(path)).map(b -> FileSlice.of(b, fromByte, maxBytes));
    slice.ifPresent(s -> bytesRead.addAndGet(s.bytes().length));
    return slice;
  }

  @Override
  public void fetch(String path, Path localDestination) {
    for (RemoteFile f : list(path)) {
      try {
        Path to = localDestination.resolve(f.path());
        Files.createDirectories(to.getParent());
        Files.write(to, files.get(f.path()));
      } catch (java.io.IOException e) {
        throw StepException.transientError("cannot fetch " + f.path(), null, e);
      }
    }
  }

  /** A detached process that runs until {@link FakeMachine#finish} ends it. */
  private static final class FakeProcess implements DetachedProcess {
    private final String handle;
    private volatile OptionalInt exit = OptionalInt.empty();
    private volatile byte[] output = new byte[0];

    FakeProcess(String handle) {
      this.handle = handle;
    }

    void finish(int code, String out) {
      output = out.getBytes(StandardCharsets.UTF_8);
      exit = OptionalInt.of(code);
    }

    @Override
    public String handle() {
      return handle;
    }

    @Override
    public ProcessPoll poll(long offset) {
      byte[] out = output;
      int from = (int) Math.min(offset, out.length);
      byte[] chunk = java.util.Arrays.copyOfRange(out, from, out.length);
      return new ProcessPoll(
          exit.isPresent() ? ProcessPoll.State.EXITED : ProcessPoll.State.RUNNING,
          exit,
          chunk,
          out.length,
          "");
    }

    @Override
    public void terminate(java.time.Duration grace) {
      finish(143, "");
    }
  }
}
