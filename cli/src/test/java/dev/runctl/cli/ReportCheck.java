package dev.runctl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Assumptions;

/** Reads a run's HTML report as a browser would, and renders it in headless Chromium. */
final class ReportCheck {
  private ReportCheck() {}

  static Document parse(Path report) throws IOException {
    return Jsoup.parse(report.toFile(), StandardCharsets.UTF_8.name());
  }

  /** The journal's attempt_started lines: each must be one bar of the timeline. */
  static long attempts(Path journal) throws IOException {
    return Files.readAllLines(journal).stream()
        .filter(l -> l.startsWith("{\"type\":\"attempt_started\""))
        .count();
  }

  /** Each curve says how many points it drew; its polyline has exactly that many. */
  static void curvesHaveTheirDrawnPoints(Document doc) {
    List<Element> curves = doc.select("svg.chart polyline.curve");
    assertThat(curves).isNotEmpty();
    for (Element c : curves) {
      int drawn = Integer.parseInt(c.attr("data-points"));
      assertThat(c.attr("points").trim().split("\\s+")).hasSize(drawn);
      assertThat(c.attr("data-ys").split(",")).hasSize(drawn);
    }
  }

  /**
   * Renders the report in headless Chromium to {@code png}: it must log nothing to the console.
   * Skipped when no chromium is installed, unless RUNCTL_REQUIRE_BROWSER is set.
   */
  static void rendersWithoutConsoleMessages(Path report, Path png) throws Exception {
    String browser = browser();
    if (browser == null) {
      Assumptions.assumeTrue(
          System.getenv("RUNCTL_REQUIRE_BROWSER") != null,
          "no chromium on PATH (RUNCTL_REQUIRE_BROWSER unset)");
      throw new AssertionError("RUNCTL_REQUIRE_BROWSER is set but no chromium is on PATH");
    }
    Path profile = Files.createTempDirectory("chromium-profile");
    Process p =
        new ProcessBuilder(
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--user-data-dir=" + profile,
                "--enable-logging=stderr",
                "--v=0",
                "--window-size=1280,1800",
                "--screenshot=" + png.toAbsolutePath(),
                report.toUri().toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(log.lines().filter(l -> l.contains(":CONSOLE")).toList())
        .as("console messages of the report in chromium")
        .isEmpty();
    assertThat(png).isNotEmptyFile();
  }

  private static String browser() {
    for (String name : new String[] {"chromium", "chromium-browser", "google-chrome"}) {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (Files.isExecutable(Path.of(dir, name))) {
          return Path.of(dir, name).toString();
        }
      }
    }
    return null;
  }
}
