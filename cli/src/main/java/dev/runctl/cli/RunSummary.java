package dev.runctl.cli;

import dev.runctl.engine.state.RunFolder;
import dev.runctl.engine.state.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a run's end says after its last transition: the outcome, how long, the cost, the last
 * metrics the training reported, where the artifacts are, and the command to run next.
 *
 * <p>{@code lastMetrics}: the last values the training reported ("loss=0.31"), empty until runctl
 * reads reported metrics; the line is printed only when there are some.
 */
record RunSummary(
    String runId,
    String outcome,
    long durationMillis,
    String cost,
    long machineMillis,
    List<String> lastMetrics,
    String artifacts,
    long artifactFiles,
    long artifactBytes,
    String next)
    implements CliEvent {

  public String type() {
    return "summary";
  }

  @Override
  public Tone tone() {
    return Tone.ofStatus(outcome);
  }

  static RunSummary of(RunFolder folder, RunState s, java.time.Instant now) {
    long[] sizes = sizes(folder.artifacts());
    String next =
        switch (s.status()) {
          case SUCCEEDED -> null;
          case RUNNING -> "runctl status " + s.runId();
          default ->
              "runctl resume "
                  + s.runId()
                  + " (continue), or runctl destroy "
                  + s.runId()
                  + " (tear down what is left)";
        };
    return new RunSummary(
        s.runId(),
        s.status().label(),
        s.elapsed(now).toMillis(),
        s.cost().orElse(null),
        s.liveTime().toMillis(),
        StatusCommand.LastMetrics.of(folder.dir()).stream()
            .map(m -> m.step() + ": " + m.text())
            .toList(),
        folder.artifacts().toString(),
        sizes[0],
        sizes[1],
        next);
  }

  /** Files and bytes under {@code dir}; zeros when it is absent. */
  private static long[] sizes(Path dir) {
    long[] out = new long[2];
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile)
          .forEach(
              p -> {
                out[0]++;
                try {
                  out[1] += Files.size(p);
                } catch (IOException e) {
                  // gone meanwhile
                }
              });
    } catch (IOException | java.io.UncheckedIOException e) {
      // counted what could be
    }
    return out;
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String units = "KMGT";
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length() - 1) {
      v /= 1024;
      u++;
    }
    return String.format("%.1f %sB", v, units.charAt(u));
  }

  public String text() {
    StringBuilder b = new StringBuilder();
    b.append("  outcome:   ")
        .append(outcome)
        .append(" in ")
        .append(RunLines.elapsed(Duration.ofMillis(durationMillis)))
        .append('\n');
    b.append("  cost:      ")
        .append(
            cost != null
                ? "$" + cost
                : "machine time "
                    + RunLines.elapsed(Duration.ofMillis(machineMillis))
                    + " (not priced)")
        .append('\n');
    if (!lastMetrics.isEmpty()) {
      b.append("  metrics:   ").append(String.join(", ", lastMetrics)).append('\n');
    }
    b.append("  artifacts: ")
        .append(artifacts)
        .append(" (")
        .append(artifactFiles)
        .append(artifactFiles == 1 ? " file, " : " files, ")
        .append(bytes(artifactBytes))
        .append(')');
    if (next != null) {
      b.append("\n  next:      ").append(next);
    }
    return b.toString();
  }
}
