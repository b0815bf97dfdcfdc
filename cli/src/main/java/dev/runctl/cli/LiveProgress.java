package dev.runctl.cli;

import dev.runctl.engine.exec.RunEvent;
import dev.runctl.engine.exec.RunListener;
import dev.runctl.engine.state.StepStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live progress on a terminal: a block redrawn in place a few times a second with each running
 * step's state, attempt and elapsed time, the tail of the running step's log, the last steps that
 * ended and the counts; failures, warnings and the end are printed above it and stay. At the end
 * the block becomes a table of every step of the plan with its outcome.
 */
final class LiveProgress implements RunListener, AutoCloseable {
  private static final int TAIL_LINES = 3;
  private static final int RECENT = 4;
  private final PrintWriter out;
  private final int width;
  private final boolean colour;
  private final StepRows table;
  private final Map<String, Row> rows = new LinkedHashMap<>();
  private final List<String> ended = new ArrayList<>();
  private final Thread painter;
  private String header = "";
  private int drawn;
  private volatile boolean done;

  private static final class Row {
    StepStatus status = StepStatus.PENDING;
    int attempt;
    Instant started;
    Duration took = Duration.ZERO;
    Path log;
    String note = "";
  }

  /** {@code colour}: outcomes in colour ({@link Tone#wanted}). */
  LiveProgress(PrintWriter out, boolean colour) {
    this.out = out;
    this.colour = colour;
    int cols = 100;
    try {
      cols = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "100"));
    } catch (NumberFormatException e) {
      // keep the default width
    }
    this.width = Math.max(40, cols) - 1;
    this.table = new StepRows(width, colour);
    this.painter = new Thread(this::paintLoop, "runctl-progress");
    painter.setDaemon(true);
    painter.start();
  }

  @Override
  public synchronized void onEvent(RunEvent e) {
    if (e instanceof RunEvent.Started s) {
      header = "run " + s.runId() + " (" + s.job() + ")";
      s.steps().forEach(id -> rows.put(id, new Row()));
      s.done().forEach(id -> rows.get(id).status = StepStatus.SUCCEEDED);
      if (s.resume() > 0) {
        above(RunEventLines.of(e));
      }
    } else if (e instanceof RunEvent.AttemptStarted s) {
      Row r = rows.computeIfAbsent(s.step(), k -> new Row());
      r.status = StepStatus.RUNNING;
      r.attempt = s.attempt();
      r.started = r.started == null ? s.at() : r.started;
      r.log = s.log();
      r.note = "";
    } else if (e instanceof RunEvent.Progress s) {
      rows.computeIfAbsent(s.step(), k -> new Row()).note = s.message();
    } else if (e instanceof RunEvent.Metrics s) {
      rows.computeIfAbsent(s.step(), k -> new Row()).note = s.point().text();
    } else if (e instanceof RunEvent.StepEnded s) {
      Row r = rows.computeIfAbsent(s.step(), k -> new Row());
      r.status = s.status();
      r.took = s.elapsed();
      r.note = s.message();
      ended.remove(s.step());
      ended.add(s.step());
      if (s.status() == StepStatus.FAILED || s.status() == StepStatus.CANCELLED) {
        above(RunEventLines.of(e));
      }
    } else if (e instanceof RunEvent.AttemptFailed
        || e instanceof RunEvent.Warning
        || e instanceof RunEvent.Stopping) {
      above(RunEventLines.of(e));
    } else if (e instanceof RunEvent.Ended) {
      done = true;
      clear();
      paintFinal();
      drawn = 0;
      CliEvent end = RunEventLines.of(e);
      out.println(end.tone().paint(end.text(), colour));
      out.flush();
    }
  }

  private void above(CliEvent line) {
    clear();
    out.println(line.tone().paint(line.text(), colour));
    drawn = 0;
    paint();
  }

  private void paintLoop() {
    while (!done) {
      synchronized (this) {
        if (!done && !header.isEmpty()) {
          clear();
          paint();
        }
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void clear() {
    if (drawn > 0) {
      out.print("\r\033[" + drawn + "A\033[J");
    }
    drawn = 0;
  }

  private String summary() {
    Map<StepStatus, Integer> counts = new LinkedHashMap<>();
    rows.values().forEach(r -> counts.merge(r.status, 1, Integer::sum));
    StringBuilder summary = new StringBuilder(header);
    counts.forEach((st, n) -> summary.append(" · ").append(n).append(' ').append(st.label()));
    return table.cut(summary.toString());
  }

  private void paint() {
    List<String> lines = new ArrayList<>();
    lines.add(summary());
    int recentFrom = Math.max(0, ended.size() - RECENT);
    for (String id : ended.subList(recentFrom, ended.size())) {
      Row r = rows.get(id);
      lines.add(table.ended(id, r.status, r.attempt, r.took, r.note));
    }
    Instant now = Instant.now();
    Row firstRunning = null;
    for (Map.Entry<String, Row> en : rows.entrySet()) {
      Row r = en.getValue();
      if (r.status == StepStatus.RUNNING) {
        Duration d = r.started == null ? Duration.ZERO : Duration.between(r.started, now);
        lines.add(table.running(en.getKey(), r.attempt, d, r.note));
        firstRunning = firstRunning == null ? r : firstRunning;
      }
    }
    if (firstRunning != null && firstRunning.log != null) {
      tail(firstRunning.log).forEach(l -> lines.add(table.cut("      │ " + l)));
    }
    lines.forEach(out::println);
    out.flush();
    drawn = lines.size();
  }

  /** The block as it stays once the run has ended: every step of the plan, in plan order. */
  private void paintFinal() {
    out.println(summary());
    rows.forEach((id, r) -> out.println(table.ended(id, r.status, r.attempt, r.took, r.note)));
    out.flush();
  }

  /** The last lines of a log file, read from its end. */
  static List<String> tail(Path file) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      int n = (int) Math.min(len, 4096);
      byte[] buf = new byte[n];
      f.seek(len - n);
      f.readFully(buf);
      String[] all = new String(buf, StandardCharsets.UTF_8).split("\r?\n|\r");
      List<String> out = new ArrayList<>();
      for (int i = Math.max(0, all.length - TAIL_LINES); i < all.length; i++) {
        out.add(all[i].replaceAll("\\p{Cntrl}", ""));
      }
      return out;
    } catch (IOException e) {
      return List.of();
    }
  }

  @Override
  public void close() {
    done = true;
    painter.interrupt();
  }
}
