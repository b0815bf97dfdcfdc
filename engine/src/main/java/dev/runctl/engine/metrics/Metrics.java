package dev.runctl.engine.metrics;

import dev.runctl.engine.json.Json;
import dev.runctl.engine.spi.MetricPoint;
import java.io.IOException;
import java.io.InputStream;
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
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * The metrics of a run, as runctl copied them from each train step's {@code $RUNCTL_METRICS} into
 * {@code <run-dir>/metrics/<step>.jsonl}. Reading keeps one point per x (the last reported wins),
 * so that a script that resumes from a checkpoint and reports some steps again, or a copy repeated
 * after a crash, never shows a point twice.
 */
public final class Metrics {
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

  /**
   * The points of one file, by x, the last reported for each x. One streaming parser reads the
   * file's JSON values one after the other; a file with a line that is not JSON is read line by
   * line instead, skipping that line.
   */
  public static List<MetricPoint> readFile(Path file) {
    Map<Double, MetricPoint> byX = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(file);
        JsonParser p = Json.parser(in)) {
      int index = 0;
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        Optional<MetricPoint> point = t == JsonToken.START_OBJECT ? object(p, index) : skip(p);
        index++;
        point.ifPresent(pt -> byX.merge(pt.x(), pt, Metrics::later));
      }
    } catch (JacksonException e) {
      return readLines(file);
    } catch (IOException e) {
      return List.of();
    }
    return sorted(byX);
  }

  private static List<MetricPoint> readLines(Path file) {
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      Map<Double, MetricPoint> byX = new LinkedHashMap<>();
      int[] n = {0};
      lines.forEach(
          line -> parse(line, n[0]++).ifPresent(p -> byX.merge(p.x(), p, Metrics::later)));
      return sorted(byX);
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of();
    }
  }

  private static List<MetricPoint> sorted(Map<Double, MetricPoint> byX) {
    List<MetricPoint> out = new ArrayList<>(byX.values());
    out.sort(java.util.Comparator.comparingDouble(MetricPoint::x));
    return out;
  }

  private static Optional<MetricPoint> skip(JsonParser p) {
    p.skipChildren();
    return Optional.empty();
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
    try (JsonParser p = Json.parser(line)) {
      return p.nextToken() == JsonToken.START_OBJECT ? object(p, index) : Optional.empty();
    } catch (JacksonException e) {
      return Optional.empty();
    }
  }

  /** The object whose START_OBJECT {@code p} is at, as a point (empty without numbers). */
  private static Optional<MetricPoint> object(JsonParser p, int index) {
    Map<String, Double> values = new LinkedHashMap<>();
    for (JsonToken t = p.nextToken(); t == JsonToken.PROPERTY_NAME; t = p.nextToken()) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
        double d = p.getDoubleValue();
        if (Double.isFinite(d)) {
          values.put(name, d);
        }
      } else {
        p.skipChildren();
      }
    }
    String xName =
        values.containsKey("step") ? "step" : values.containsKey("epoch") ? "epoch" : "line";
    double x = xName.equals("line") ? index + 1 : values.remove(xName);
    return values.isEmpty() ? Optional.empty() : Optional.of(new MetricPoint(xName, x, values));
  }
}
