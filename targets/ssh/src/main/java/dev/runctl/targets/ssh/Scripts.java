package dev.runctl.targets.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scripts for the host: quoted variable assignments ({@link Quote}) followed by a fixed body from
 * {@code remote/}. Values never enter a body's text.
 */
final class Scripts {
  private static final Map<String, String> BODIES = new ConcurrentHashMap<>();

  private Scripts() {}

  static String body(String name) {
    return BODIES.computeIfAbsent(
        name,
        n -> {
          try (InputStream in = Scripts.class.getResourceAsStream("remote/" + n)) {
            if (in == null) {
              throw new IllegalStateException("remote script " + n + " missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** The assignments of {@code vars}, then the body {@code name}. */
  static String of(Map<String, String> vars, String name) {
    return Quote.assignments(vars, false) + body(name);
  }

  /** The {@code @@name ...} marker lines at the start of {@code out} (up to the first other). */
  static List<String> markers(String out) {
    List<String> m = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("@@")) {
        m.add(line);
      }
    }
    return m;
  }

  /** The text after {@code @@name } in the first such marker, or null. */
  static String marker(String out, String name) {
    for (String line : out.split("\n")) {
      if (line.equals("@@" + name)) {
        return "";
      }
      if (line.startsWith("@@" + name + " ")) {
        return line.substring(name.length() + 3);
      }
    }
    return null;
  }
}
