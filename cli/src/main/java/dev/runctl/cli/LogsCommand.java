package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunLock;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.Snapshotter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code runctl logs RUN_ID [STEP] [--follow]}: the step logs of a run. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    description = {
      "Print a run's step logs (logs/<step>.log in the run folder), whole, however long: one"
          + " step's, or every step's in plan order under a `==> step <==` header.",
      "--follow keeps printing what is appended until the run's live process ends; when no"
          + " runctl holds the run but a training it started is still running, it follows that"
          + " training's output until the training ends.",
      "--tail N starts each log N lines before its end (read from the end: quick on any size)."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl logs tiny-mlp-20261123-120000-ab12 train",
      "  runctl logs tiny-mlp-20261123-120000-ab12 --follow",
      "  runctl logs tiny-mlp-20261123-120000-ab12 train --tail 50",
      "  runctl logs lr-sweep-20261123-120000-cd34 train   # each child's, as [1 lr=0.1] ...",
      "  runctl logs tiny-mlp-20261123-120000-ab12 train --tail 0 --follow   # only what comes",
      "  runctl logs --output json tiny-mlp-20261123-120000-ab12 train | jq -r .line"
    })
final class LogsCommand implements Callable<Integer> {
  /** How much of a log is read at a time: memory stays bounded whatever the log's size. */
  private static final int CHUNK = 64 * 1024;

  private static final long POLL_MILLIS = 250;

  @ParentCommand RunctlCommand root;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "RUN_ID",
      description =
          "The run or sweep (each child's logs, its lines prefixed with the child): its id, a unique prefix of it, or `latest` (default: the newest run of this project; see `runctl runs`).")
  String runId;

  @Parameters(index = "1", arity = "0..1", paramLabel = "STEP", description = "Only this step.")
  String step;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing until the run's process (or its detached training) ends.")
  boolean follow;

  @Option(
      names = {"-n", "--tail"},
      paramLabel = "N",
      description = "Only the last N lines of each log (and with --follow, what comes after).")
  Integer tail;

  record LogLine(String runId, String step, String line) implements CliEvent {
    public String type() {
      return "log";
    }

    public String text() {
      return line;
    }
  }

  /** Put before each text line: a sweep's child's label (see {@link SweepLogs}). */
  String linePrefix = "";

  /** How far each step's log has been read, and its line not yet ended. */
  private final Map<String, Long> offsets = new LinkedHashMap<>();

  private final Map<String, LineSplitter> splitters = new LinkedHashMap<>();
  private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK);

  @Override
  public Integer call() throws InterruptedException {
    Output out = root.output();
    if (tail != null && tail < 0) {
      throw new dev.runctl.engine.RunctlException(
          dev.runctl.engine.ErrorCategory.USAGE,
          "--tail takes a number of lines, 0 or more, not " + tail,
          "e.g. `runctl logs " + (runId == null ? "latest" : runId) + " --tail 50`");
    }
    java.util.Optional<String> sweep = SweepCommands.find(root, runId);
    if (sweep.isPresent()) {
      return SweepLogs.print(this, sweep.get());
    }
    RunFinder.Found found = root.runFinder().find(runId);
    runId = found.runId();
    RunSession session = RunSession.on(root, found);
    RunFolder folder = found.folder();
    RunState s = Snapshotter.read(folder);
    List<String> steps = new ArrayList<>(s.steps().keySet());
    if (step != null && !steps.contains(step) && !Files.exists(folder.log(step))) {
      throw new RunctlException(
          ErrorCategory.USAGE,
          "run " + runId + " has no step '" + step + "'",
          "its steps are: " + String.join(", ", steps));
    }
    if (step != null && !follow && !Files.exists(folder.log(step))) {
      out.note(
          "step '"
              + step
              + "' has no log: it has not run, or it succeeded without saying anything"
              + " (`runctl status "
              + runId
              + "` shows its state)");
      return ExitCodes.OK;
    }
    List<String> shown = step != null ? List.of(step) : steps;
    boolean prefix = step == null && follow;
    if (!follow) {
      for (String id : shown) {
        if (drain(out, folder, id, prefix, step == null)) {
          finish(id);
        }
      }
      return ExitCodes.OK;
    }
    boolean held = true;
    while (held) {
      root.sharedRuns().refresh(folder);
      held = RunLock.isHeld(folder);
      shown.forEach(id -> drain(out, folder, id, prefix, false));
      if (held) {
        Thread.sleep(POLL_MILLIS);
      }
    }
    shown.forEach(this::finish);
    new LiveTraining(root, session.store(), folder, runId)
        .follow(shown, id -> line(out, id, prefix), POLL_MILLIS);
    return ExitCodes.OK;
  }

  /**
   * Prints what was appended to the step's log since the last call, up to its end now, a chunk at a
   * time; answers whether the log had anything new.
   */
  private boolean drain(Output out, RunFolder folder, String id, boolean prefix, boolean header) {
    Path file = folder.log(id);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long end = ch.size();
      Long read = offsets.get(id);
      long from = read != null ? read : tail == null ? 0 : tailStart(ch, end, tail);
      offsets.putIfAbsent(id, from);
      if (end <= from) {
        return false;
      }
      if (header && !out.json()) {
        out.out().println("==> " + linePrefix + id + " <==");
      }
      LineSplitter lines =
          splitters.computeIfAbsent(id, k -> new LineSplitter(line(out, id, prefix)));
      for (long at = from; at < end; ) {
        buffer.clear().limit((int) Math.min(CHUNK, end - at));
        int n = ch.read(buffer, at);
        if (n <= 0) {
          break;
        }
        lines.feed(buffer.array(), 0, n);
        at += n;
        offsets.put(id, at);
      }
      return true;
    } catch (NoSuchFileException e) {
      offsets.putIfAbsent(id, 0L); // a log that appears later is new: all of it is shown
      return false;
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot read " + file + ": " + e.getMessage(),
          "check that the state folder is readable",
          e);
    } finally {
      out.flush();
    }
  }

  /** Where the last {@code lines} lines of the first {@code end} bytes start, read from the end. */
  private long tailStart(FileChannel ch, long end, int lines) throws IOException {
    if (lines == 0) {
      return end;
    }
    int found = 0;
    for (long pos = end; pos > 0; ) {
      int len = (int) Math.min(CHUNK, pos);
      pos -= len;
      buffer.clear().limit(len);
      while (buffer.hasRemaining() && ch.read(buffer, pos + buffer.position()) > 0) {
        // read the whole block
      }
      for (int i = buffer.position() - 1; i >= 0; i--) {
        // the newline that ends the log's last line starts no line after it
        if (buffer.get(i) == '\n' && pos + i != end - 1 && ++found == lines) {
          return pos + i + 1;
        }
      }
    }
    return 0;
  }

  private void finish(String id) {
    LineSplitter lines = splitters.get(id);
    if (lines != null) {
      lines.finish();
    }
    root.output().flush();
  }

  private java.util.function.Consumer<String> line(Output out, String id, boolean prefix) {
    return l ->
        out.emitBuffered(
            new LogLine(runId, id, out.json() ? l : linePrefix + (prefix ? id + " | " + l : l)));
  }
}
