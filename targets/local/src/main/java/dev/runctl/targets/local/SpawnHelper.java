package dev.runctl.targets.local;

import dev.runctl.engine.spi.StepLog;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A long-lived Python process ({@code spawn_helper.py}) that starts commands for {@link
 * ProcessRunner}: each in its own session through {@code posix_spawn} with setsid, so a command
 * costs one fork and one exec instead of the JVM's spawn helper, {@code setsid} and the command,
 * plus a pump thread. One reader thread here takes its reports (started, output, closed, exited)
 * and hands them to the waiting calls. The helper stops every command's group and exits when its
 * stdin closes, that is when this JVM ends in any way, kill -9 included.
 */
final class SpawnHelper {
  private static final String SCRIPT = "spawn_helper.py";

  /**
   * The variable each command is started with, naming its call ({@code <helper nonce>-<call id>}):
   * should the helper die before it reported the command's pid, the command (and what it started)
   * is still found by it in {@code /proc} (see {@link HelperCommand}).
   */
  static final String CALL_ENV = "RUNCTL_SPAWN_CALL";

  private final Process process;
  private final OutputStream requests;
  private final Map<Long, SpawnCall> calls = new ConcurrentHashMap<>();
  private final AtomicLong ids = new AtomicLong();
  private final String nonce = Long.toHexString(new java.security.SecureRandom().nextLong());
  private final CountDownLatch ready = new CountDownLatch(1);
  private final Thread reader;
  private final Thread atExit;
  private volatile boolean ended;
  private volatile boolean closed;

  private SpawnHelper(Process process) {
    this.process = process;
    this.requests = process.getOutputStream();
    this.reader = new Thread(this::readReports, "spawn-helper-" + process.pid());
    reader.setDaemon(true);
    reader.start();
    // The JVM's exit waits up to 300 ms for threads blocked in a native read, as the reader is:
    // closing the helper's stdin lets it exit, which ends the read at once.
    this.atExit = new Thread(this::closeAndAwait, "spawn-helper-exit-" + process.pid());
    Runtime.getRuntime().addShutdownHook(atExit);
  }

  /**
   * Starts the helper with {@code python} (it answers once ready; see {@link #awaitReady}). Fails
   * when the interpreter cannot be started.
   */
  static SpawnHelper start(String python, Duration killGrace) throws IOException {
    return start(python, killGrace, script());
  }

  /** The helper's script, as the runctl jar holds it. */
  static String script() throws IOException {
    try (InputStream in = SpawnHelper.class.getResourceAsStream(SCRIPT)) {
      if (in == null) {
        throw new IOException(SCRIPT + " is missing from the runctl jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** A helper running {@code script} (tests give one that misbehaves on cue). */
  static SpawnHelper start(String python, Duration killGrace, String script) throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(python, "-I", "-S", "-c", script, Long.toString(killGrace.toSeconds())));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    return new SpawnHelper(JvmSpawn.start(pb));
  }

  /** The interpreter for the helper: the system's python3 when there is one, else PATH's. */
  static String python() {
    Path system = Path.of("/usr/bin/python3");
    return Files.isExecutable(system) ? system.toString() : "python3";
  }

  /** True once the helper reported ready within {@code timeout}; false when it ended instead. */
  boolean awaitReady(Duration timeout) throws InterruptedException {
    return ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS) && !ended;
  }

  boolean alive() {
    return !ended;
  }

  /** Asks the helper to start {@code argv}; its reports go to the returned call. */
  SpawnCall start(List<String> argv, Map<String, String> env, Path cwd, StepLog log) {
    long id = ids.incrementAndGet();
    SpawnCall call = new SpawnCall(id, nonce + "-" + id, new TailPump(log));
    calls.put(id, call);
    ByteArrayOutputStream body = new ByteArrayOutputStream(256);
    field(body, "S");
    field(body, Long.toString(id));
    field(body, cwd.toString());
    field(body, Integer.toString(argv.size()));
    argv.forEach(a -> field(body, a));
    env.forEach((k, v) -> field(body, k + "=" + v));
    field(body, CALL_ENV + "=" + call.token());
    try {
      send(body);
    } catch (IOException e) {
      calls.remove(id);
      throw new UncheckedIOException("cannot start " + argv.get(0) + ": " + e.getMessage(), e);
    }
    return call;
  }

  /**
   * Asks the helper to send {@code signal} (TERM, KILL, ...) to the process group of {@code call}'s
   * command. The helper does it only while the command has not been reaped, so never to a process
   * that reuses its pid. Quiet when the helper is gone: its end stops every command anyway.
   */
  void signal(SpawnCall call, String signal) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(32);
    field(body, "K");
    field(body, Long.toString(call.id()));
    field(body, signal);
    try {
      send(body);
    } catch (IOException e) {
      // the helper ended, and stopped its commands as it did
    }
  }

  /** Writes one request: its length, then its fields without the last separator. */
  private void send(ByteArrayOutputStream body) throws IOException {
    byte[] bytes = body.toByteArray();
    synchronized (requests) {
      if (ended) {
        throw new IOException("the process-spawn helper has ended");
      }
      requests.write((bytes.length - 1 + "\n").getBytes(StandardCharsets.US_ASCII));
      requests.write(bytes, 0, bytes.length - 1);
      requests.flush();
    }
  }

  /**
   * Closes the helper's stdin, as the end of this JVM would: it stops the commands still running
   * (SIGTERM to each group, SIGKILL after the grace period) and exits.
   */
  void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(atExit);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook runs anyway
    }
    closeRequests();
  }

  private void closeRequests() {
    closed = true;
    synchronized (requests) {
      try {
        requests.close();
      } catch (IOException e) {
        // already gone
      }
    }
  }

  private void closeAndAwait() {
    closeRequests();
    try {
      reader.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * How the helper ended, for a message: "was killed by signal 9 (SIGKILL)" (as the kernel's OOM
   * killer does), "exited with code 1", or "was stopped" when this runctl closed it.
   */
  String howItEnded() {
    try {
      if (!process.waitFor(2, TimeUnit.SECONDS)) {
        return "stopped answering";
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "ended";
    }
    int code = process.exitValue();
    if (closed) {
      return "was stopped as runctl stopped";
    }
    return code > 128
        ? "was killed by signal " + (code - 128) + (code == 137 ? " (SIGKILL)" : "")
        : "exited with code " + code;
  }

  /** The helper's pid, for tests and diagnostics. */
  long pid() {
    return process.pid();
  }

  void forget(SpawnCall call) {
    calls.remove(call.id());
  }

  private static void field(ByteArrayOutputStream out, String value) {
    if (value.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a NUL character cannot be passed to a process");
    }
    out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
    out.write(0);
  }

  private void readReports() {
    try (InputStream in = new BufferedInputStream(process.getInputStream(), 1 << 16)) {
      byte[] buf = new byte[1 << 16];
      // One report per call, not one loop for all: a thread's single long call never leaves the
      // interpreter, a method called once per report is compiled after the first few.
      while (readReport(in, buf)) {
        // next report
      }
    } catch (IOException | RuntimeException e) {
      // the helper spoke nonsense: it goes, and every waiting call fails below
      process.destroy();
    } finally {
      ended = true;
      ready.countDown();
      calls.values().forEach(SpawnCall::orphan);
    }
  }

  /** Reads and hands on one report; false at the end of the helper's output. */
  private boolean readReport(InputStream in, byte[] buf) throws IOException {
    String line = readLine(in);
    if (line == null) {
      return false;
    }
    String[] f = line.split(" ");
    if (f[0].equals("R")) {
      ready.countDown();
      return true;
    }
    SpawnCall call = calls.get(Long.parseLong(f[1]));
    switch (f[0]) {
      case "P" -> {
        if (call != null) {
          call.started(Long.parseLong(f[2]));
        }
      }
      case "O" -> {
        int left = Integer.parseInt(f[2]);
        while (left > 0) {
          int n = in.read(buf, 0, Math.min(left, buf.length));
          if (n < 0) {
            return false;
          }
          if (call != null) {
            call.copy(buf, n);
          }
          left -= n;
        }
      }
      case "C" -> {
        if (call != null) {
          call.closed();
        }
      }
      case "E" -> {
        if (call != null) {
          call.exited(Integer.parseInt(f[2]));
        }
      }
      default -> throw new IOException("unexpected report from the spawn helper: " + line);
    }
    return true;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder b = new StringBuilder(24);
    int c;
    while ((c = in.read()) != '\n') {
      if (c < 0) {
        return null;
      }
      b.append((char) c);
    }
    return b.toString();
  }
}
