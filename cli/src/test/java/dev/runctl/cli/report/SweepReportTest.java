package dev.runctl.cli.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepReportTest {
  @TempDir Path state;

  @Test
  void childReportsAreLinkedRelativelySoTheFolderCanMove() throws Exception {
    Path sweepDir = Files.createDirectories(state.resolve("sweeps/lr-1"));
    Path runDir = Files.createDirectories(state.resolve("runs/lr-1-1"));
    Files.writeString(runDir.resolve("report.html"), "<html></html>");
    SweepReport.Child child =
        new SweepReport.Child(
            1, "lr-1-1", Map.of("lr", "0.1"), "succeeded", 1000, Map.of(), runDir);

    Path html =
        SweepReport.write(
            sweepDir, new SweepReport.Sweep("lr-1", "lr", "succeeded", List.of(child)));

    Document doc = Jsoup.parse(html.toFile());
    String href = doc.select("tr.child a").attr("href");
    assertThat(href).isEqualTo("../../runs/lr-1-1/report.html");
    assertThat(sweepDir.resolve(href).normalize()).isEqualTo(runDir.resolve("report.html"));
  }
}
