package dev.runctl.steps.verify;

import dev.runctl.engine.spi.Machine;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads a JSON metrics file on the machine and checks numbers against expectations. */
final class MetricsCheck {
  private static final long MAX_BYTES = 16L << 20;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private MetricsCheck() {}

  /**
   * Adds a line to {@code problems} for each expectation that does not hold; found values to {@code
   * found}.
   */
  static void check(
      Machine machine,
      String file,
      List<Expectation> expect,
      List<String> problems,
      Map<String, String> found)
      throws InterruptedException {
    Optional<byte[]> bytes = machine.read(file, MAX_BYTES);
    if (bytes.isEmpty()) {
      problems.add(
          "metrics file " + file + " does not exist (looked in " + machine.workdir() + ")");
      return;
    }
    JsonNode root;
    try {
      root = JSON.readTree(new String(bytes.get(), StandardCharsets.UTF_8));
    } catch (JacksonException e) {
      problems.add("metrics file " + file + " is not valid JSON: " + e.getOriginalMessage());
      return;
    }
    for (Expectation e : expect) {
      JsonNode node = root;
      for (String part : e.key().split("\\.")) {
        node = node == null ? null : node.get(part);
      }
      if (node == null || node.isNull()) {
        problems.add(e.key() + ": expected " + e.text() + ", found no such key in " + file);
      } else if (!node.isNumber()) {
        problems.add(e.key() + ": expected " + e.text() + ", found " + node + " (not a number)");
      } else {
        BigDecimal value = node.decimalValue();
        found.put(e.key(), value.toPlainString());
        if (!e.holds(value)) {
          problems.add(e.key() + ": expected " + e.text() + ", found " + value.toPlainString());
        }
      }
    }
  }

  /** Checks the last values the run's trainings reported through {@code $RUNCTL_METRICS}. */
  static void checkReported(
      java.nio.file.Path runDir,
      List<Expectation> expect,
      List<String> problems,
      Map<String, String> found) {
    Map<String, Double> latest = new java.util.TreeMap<>();
    dev.runctl.engine.metrics.Metrics.read(runDir)
        .values()
        .forEach(points -> latest.putAll(dev.runctl.engine.metrics.Metrics.latest(points)));
    for (Expectation e : expect) {
      Double v = latest.get(e.key());
      if (v == null) {
        problems.add(
            e.key()
                + ": expected "
                + e.text()
                + ", found no such metric among those reported through $RUNCTL_METRICS "
                + (latest.isEmpty() ? "(none was reported)" : latest.keySet().toString()));
        continue;
      }
      BigDecimal value = new BigDecimal(Double.toString(v));
      found.put(e.key(), value.toPlainString());
      if (!e.holds(value)) {
        problems.add(e.key() + ": expected " + e.text() + ", found " + value.toPlainString());
      }
    }
  }
}
