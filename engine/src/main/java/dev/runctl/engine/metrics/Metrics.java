package dev.runctl.engine.metrics;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The metrics of a run, as runctl copied them from each train step's {@code $RUNCTL_METRICS} into
 * {@code <run-dir>/metrics/<step>.jsonl}. Reading keeps one point per x (the last reported wins),
 * so that a script that resumes from a checkpoint and reports some steps again, or a copy repeated
 * after a crash, never shows a point twice.
 */
public final class Metrics {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Metrics() {}

  /** The local copy of a train step's metrics in the run folder. */
  public static Path file(Path runDir, String stepId) {
    return runDir.resolve("metrics").resolve(stepId + ".jsonl");
  }

  /** The train steps of a run that reported metrics, by step id, in name order. */
  public static Map<String, List<MetricPoint>> read(Path runDir) {
    Map<String, List<MetricPoint>> out = new TreeMap<>();
    Path dir = runDir.resolve("metrics");
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        List<MetricPoint> points = readFile(f);
        if (!points.isEmpty()) {
          out.put(f.getFileName().toString().replaceFirst("\\.jsonl$", ""), points);
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /** The points of one file, by x, the last reported for each x. */
  public static List<MetricPoint> readFile(Path file) {
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      Map<Double, MetricPoint> byX = new LinkedHashMap<>();
      int[] n = {0};
      lines.forEach(
          line -> parse(line, n[0]++).ifPresent(p -> byX.merge(p.x(), p, Metrics::later)));
      List<MetricPoint> out = new ArrayList<>(byX.values());
      out.sort(java.util.Comparator.comparingDouble(MetricPoint::x));
      return out;
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of();
    }
  }

  /** The latest values of every series across the points (each series' value at its last x). */
  public static Map<String, Double> latest(List<MetricPoint> points) {
    Map<String, Double> out = new TreeMap<>();
    points.forEach(p -> out.putAll(p.values()));
    return out;
  }

  private static MetricPoint later(MetricPoint earlier, MetricPoint later) {
    Map<String, Double> merged = new LinkedHashMap<>(earlier.values());
    merged.putAll(later.values());
    return new MetricPoint(later.xName(), later.x(), merged);
  }

  /** One JSON line as a point; empty when it is not a JSON object with a numeric field. */
  public static Optional<MetricPoint> parse(String line, int index) {
    if (line.isBlank()) {
      return Optional.empty();
    }
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JacksonException e) {
      return Optional.empty();
    }
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    String xName =
        node.path("step").isNumber() ? "step" : node.path("epoch").isNumber() ? "epoch" : "line";
    double x = xName.equals("line") ? index + 1 : node.get(xName).doubleValue();
    Map<String, Double> values = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : node.properties()) {
      if (!f.getKey().equals(xName) && f.getValue().isNumber()) {
        double v = f.getValue().doubleValue();
        if (Double.isFinite(v)) {
          values.put(f.getKey(), v);
        }
      }
    }
    return values.isEmpty() ? Optional.empty() : Optional.of(new MetricPoint(xName, x, values));
  }
}
