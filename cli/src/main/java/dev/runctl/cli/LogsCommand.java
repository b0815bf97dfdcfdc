package dev.runctl.cli;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunLock;
import dev.runctl.engine.state.RunState;
import dev.runctl.engine.state.Snapshotter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
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
      "Print a run's step logs (logs/<step>.log in the run folder): one step's, or every step's"
          + " in plan order under a `==> step <==` header.",
      "--follow keeps printing what is appended until the run's live process ends."
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  runctl logs tiny-mlp-20261123-120000-ab12 train",
      "  runctl logs tiny-mlp-20261123-120000-ab12 --follow",
      "  runctl logs --output json tiny-mlp-20261123-120000-ab12 train | jq -r .line"
    })
final class LogsCommand implements Callable<Integer> {
  @ParentCommand RunctlCommand root;

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run (see `runctl runs`).")
  String runId;

  @Parameters(index = "1", arity = "0..1", paramLabel = "STEP", description = "Only this step.")
  String step;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing until the run's process ends.")
  boolean follow;

  record LogLine(String runId, String step, String line) implements CliEvent {
    public String type() {
      return "log";
    }

    public String text() {
      return line;
    }
  }

  private final Map<String, Long> offsets = new HashMap<>();
  private final Map<String, StringBuilder> partial = new HashMap<>();

  @Override
  public Integer call() throws InterruptedException {
    Output out = root.output();
    RunFolder folder = new RunSession(root).known(runId);
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
    drain(out, folder, shown, prefix, !follow && step == null);
    while (follow && RunLock.isHeld(folder)) {
      Thread.sleep(250);
      drain(out, folder, shown, prefix, false);
    }
    if (follow) {
      drain(out, folder, shown, prefix, false);
      flushPartial(out, prefix);
    } else {
      flushPartial(out, prefix);
    }
    return ExitCodes.OK;
  }

  private void drain(
      Output out, RunFolder folder, List<String> steps, boolean prefix, boolean headers)
      throws InterruptedException {
    for (String id : steps) {
      Path file = folder.log(id);
      if (!Files.exists(file)) {
        continue;
      }
      String chunk = read(file, id);
      if (chunk.isEmpty()) {
        continue;
      }
      if (headers && !out.json()) {
        flushPartial(out, prefix);
        out.out().println("==> " + id + " <==");
      }
      StringBuilder b = partial.computeIfAbsent(id, k -> new StringBuilder()).append(chunk);
      int nl;
      while ((nl = b.indexOf("\n")) >= 0) {
        emit(out, id, b.substring(0, nl), prefix);
        b.delete(0, nl + 1);
      }
      if (headers) {
        flushPartial(out, prefix);
      }
    }
  }

  private void flushPartial(Output out, boolean prefix) {
    partial.forEach(
        (id, b) -> {
          if (b.length() > 0) {
            emit(out, id, b.toString(), prefix);
            b.setLength(0);
          }
        });
  }

  private void emit(Output out, String id, String line, boolean prefix) {
    out.emit(new LogLine(runId, id, prefix && !out.json() ? id + " | " + line : line));
  }

  private String read(Path file, String id) {
    long from = offsets.getOrDefault(id, 0L);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      if (len <= from) {
        return "";
      }
      byte[] buf = new byte[(int) Math.min(len - from, 1 << 20)];
      f.seek(from);
      f.readFully(buf);
      offsets.put(id, from + buf.length);
      return new String(buf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot read " + file + ": " + e.getMessage(),
          "check that the state folder is readable",
          e);
    }
  }
}
