package dev.runctl.engine.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.MetricPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {
  @TempDir Path dir;

  @Test
  void aStepReportedAgainAfterARestartIsOnePointWithTheLaterValues() throws Exception {
    Path f = dir.resolve("train.jsonl");
    Files.writeString(
        f,
        """
        {"step": 1, "loss": 0.9}
        {"step": 2, "loss": 0.8, "note": "text is no series", "nested": {"a": 1}}
        {"step": 2, "loss": 0.7}
        {"step": 3, "loss": 0.6, "accuracy": 0.5}
        """);
    List<MetricPoint> points = Metrics.readFile(f);
    assertThat(points).extracting(MetricPoint::x).containsExactly(1.0, 2.0, 3.0);
    assertThat(points.get(1).values()).containsOnlyKeys("loss").containsEntry("loss", 0.7);
    assertThat(Metrics.latest(points)).containsEntry("loss", 0.6).containsEntry("accuracy", 0.5);
  }

  @Test
  void aLineThatIsNotJsonIsSkippedAndTheRestRead() throws Exception {
    Path f = dir.resolve("train.jsonl");
    Files.writeString(
        f, "{\"epoch\": 1, \"acc\": 0.5}\nnot json {\n{\"epoch\": 2, \"acc\": 0.6}\n");
    assertThat(Metrics.readFile(f)).extracting(MetricPoint::x).containsExactly(1.0, 2.0);
    assertThat(Metrics.readFile(f).get(0).xName()).isEqualTo("epoch");
  }

  @Test
  void withoutStepOrEpochTheLineNumberIsTheAxis() {
    assertThat(Metrics.parse("{\"loss\": 1.5}", 4)).get().extracting(MetricPoint::x).isEqualTo(5.0);
    assertThat(Metrics.parse("{\"step\": 3}", 0)).as("no series").isEmpty();
    assertThat(Metrics.parse("[1, 2]", 0)).isEmpty();
  }
}
