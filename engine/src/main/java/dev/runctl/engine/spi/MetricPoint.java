package dev.runctl.engine.spi;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * One line a training script appended to {@code $RUNCTL_METRICS}: its x ({@code step}, else {@code
 * epoch}, else the line's number) and every other numeric field as a series value.
 */
public record MetricPoint(String xName, double x, Map<String, Double> values) {
  public MetricPoint {
    values = Map.copyOf(values);
  }

  /** "step 120: accuracy 0.91, loss 0.31", values sorted by name, numbers as short as they go. */
  public String text() {
    return xName
        + " "
        + number(x)
        + ": "
        + values.entrySet().stream()
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + " " + number(e.getValue()))
            .collect(Collectors.joining(", "));
  }

  /** A number without a needless ".0" and with at most 4 significant decimals. */
  public static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return new java.math.BigDecimal(v)
        .round(new java.math.MathContext(4))
        .stripTrailingZeros()
        .toPlainString();
  }
}
