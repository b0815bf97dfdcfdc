package dev.runctl.steps.train;

import dev.runctl.engine.metrics.Metrics;
import dev.runctl.engine.spi.FileSlice;
import dev.runctl.engine.spi.Machine;
import dev.runctl.engine.spi.MetricPoint;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.state.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Follows the file a training script appends metrics to ({@code $RUNCTL_METRICS}, on the machine)
 * through the machine's {@code read} from an offset, so every target gets it and each poll costs
 * what the file grew by: whole new lines are appended to the run folder's copy ({@link
 * Metrics#file}) and the newest point is reported to the step context. The bytes of a line not yet
 * ended are kept until its newline arrives.
 *
 * <p>A mark beside the copy ({@code <step>.mark}: remote offset and copy size) is written after
 * each append; a runctl that starts again after a crash cuts the copy back to the marked size and
 * goes on from the marked offset, so that no line is copied twice or skipped. A remote file shorter
 * than what was read of it (a new machine, or a file replaced) is copied again from its start;
 * reading keeps one point per step.
 */
final class MetricsFollower {
  /** The most one read asks for; a poll reads on until it reaches the end it saw. */
  static final long CHUNK = 8L << 20;

  private final Machine machine;
  private final String remote;
  private final Path copy;
  private final Path mark;
  private final StepContext ctx;

  /** Where the lines copied so far end in the remote file. */
  private long remoteOffset;

  /** The bytes after {@link #remoteOffset} read so far: a line without its newline yet. */
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

  private int lines;
  private boolean readFailing;
  private final java.util.Map<String, Double> latest = new java.util.TreeMap<>();

  MetricsFollower(Machine machine, String remote, StepContext ctx) {
    this.machine = machine;
    this.remote = remote;
    this.ctx = ctx;
    this.copy = Metrics.file(ctx.runDir(), ctx.stepId());
    this.mark = copy.resolveSibling(ctx.stepId() + ".mark");
    restore();
  }

  /** Where the training script appends its metrics on the machine. */
  static String remotePath(TrainStep.Config config, Machine machine) {
    return TrainLauncher.checkpointDir(config, machine) + "/runctl-metrics.jsonl";
  }

  /** Copies the lines the script appended since the last call; reports the newest point. */
  void poll() throws InterruptedException {
    Optional<MetricPoint> newest = Optional.empty();
    while (true) {
      Optional<FileSlice> read;
      try {
        read = machine.read(remote, remoteOffset + partial.size(), CHUNK);
      } catch (StepException e) {
        // metrics are not worth a failed training: the process's own poll says whether the
        // machine went away, and waits for a connection that dropped; the lines come next time
        if (!readFailing) {
          ctx.log().line("could not read the metrics (" + e.getMessage() + "); trying again");
        }
        readFailing = true;
        break;
      }
      readFailing = false;
      if (read.isEmpty()) {
        break;
      }
      FileSlice slice = read.get();
      if (slice.shrank()) {
        // a new machine's file, or one replaced: copy it again, reading drops repeated steps
        remoteOffset = 0;
        partial.reset();
        continue;
      }
      try {
        Optional<MetricPoint> p = take(slice.bytes());
        newest = p.isPresent() ? p : newest;
      } catch (IOException e) {
        // not marked: the next poll reads these lines again from the marked offset
        partial.reset();
        ctx.log().line("could not copy metrics into " + copy + ": " + e.getMessage());
        break;
      }
      if (slice.bytes().length == 0 || slice.end() >= slice.size()) {
        break;
      }
    }
    // the newest x, with the latest value of every series (a line may carry only some of them)
    newest.ifPresent(p -> ctx.metrics(new MetricPoint(p.xName(), p.x(), latest)));
  }

  /** Appends the whole lines {@code bytes} completes to the copy; keeps the rest for later. */
  private Optional<MetricPoint> take(byte[] bytes) throws IOException {
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] != '\n') {
      end--;
    }
    if (end == 0) {
      partial.write(bytes, 0, bytes.length);
      return Optional.empty();
    }
    partial.write(bytes, 0, end);
    byte[] fresh = partial.toByteArray();
    partial.reset();
    Files.createDirectories(copy.getParent());
    Files.write(copy, fresh, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    remoteOffset += fresh.length;
    writeMark(Files.size(copy));
    partial.write(bytes, end, bytes.length - end);
    Optional<MetricPoint> newest = Optional.empty();
    for (String line : new String(fresh, StandardCharsets.UTF_8).split("\n")) {
      Optional<MetricPoint> p = Metrics.parse(line, lines++);
      p.ifPresent(point -> latest.putAll(point.values()));
      newest = p.isPresent() ? p : newest;
    }
    return newest;
  }

  private void restore() {
    try {
      String[] f = Files.readString(mark, StandardCharsets.UTF_8).trim().split(" ");
      long offset = Long.parseLong(f[0]);
      long size = Long.parseLong(f[1]);
      if (Files.exists(copy) && Files.size(copy) > size) {
        try (FileChannel ch = FileChannel.open(copy, StandardOpenOption.WRITE)) {
          ch.truncate(size); // appended but not marked before a crash: it is copied again
        }
      }
      remoteOffset = offset;
      lines = Files.exists(copy) ? (int) Files.lines(copy).count() : 0;
      latest.putAll(Metrics.latest(Metrics.readFile(copy)));
    } catch (java.nio.file.NoSuchFileException e) {
      // nothing marked yet: whatever the copy holds was appended but not marked
      try {
        Files.deleteIfExists(copy);
      } catch (IOException ignored) {
        // reading drops repeated steps
      }
    } catch (IOException | RuntimeException e) {
      remoteOffset = 0;
      lines = 0;
    }
  }

  private void writeMark(long size) throws IOException {
    AtomicFile.write(mark, (remoteOffset + " " + size + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
