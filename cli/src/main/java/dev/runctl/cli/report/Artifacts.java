package dev.runctl.cli.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The files teardown collected into the run's artifacts folder, with their sizes. */
final class Artifacts {
  static final int MAX = 500;

  record Entry(String path, long size) {}

  private Artifacts() {}

  static List<Entry> list(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .map(p -> new Entry(dir.relativize(p).toString(), size(p)))
          .sorted(java.util.Comparator.comparing(Entry::path))
          .toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of();
    }
  }

  static void table(StringBuilder b, List<Entry> entries) {
    if (entries.isEmpty()) {
      b.append("<p class=\"none\">No artifacts were collected.</p>");
      return;
    }
    long total = entries.stream().mapToLong(Entry::size).sum();
    b.append(
        "<table class=\"artifacts\"><thead><tr><th>file</th><th class=\"num\">size</th></tr>"
            + "</thead><tbody>");
    entries.stream()
        .limit(MAX)
        .forEach(
            e ->
                b.append("<tr><td>")
                    .append(Html.esc(e.path()))
                    .append("</td><td class=\"num\">")
                    .append(bytes(e.size()))
                    .append("</td></tr>"));
    if (entries.size() > MAX) {
      b.append("<tr><td>… and ").append(entries.size() - MAX).append(" more</td><td></td></tr>");
    }
    b.append("</tbody><tfoot><tr><td>")
        .append(entries.size())
        .append(" files</td><td class=\"num\">")
        .append(bytes(total))
        .append("</td></tr></tfoot></table>");
  }

  static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
