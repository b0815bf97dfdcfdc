package dev.runctl.targets.remote;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Script bodies that the ssh and the aws target both run on their host, where a process runs under
 * runctl's wrapper in a folder of its own ({@code $D}: {@code pid}, {@code wrapper.pid} as "pid" or
 * "pid start-time", {@code exit_code}). Each target puts its quoted variable assignments before a
 * body and sends it its own way (ssh's stdin, an SSM command).
 */
public final class RemoteScripts {
  private static final Map<String, String> BODIES = new ConcurrentHashMap<>();

  private RemoteScripts() {}

  /**
   * Stops the process in {@code $D}: SIGTERM to its process group, SIGKILL after {@code $GRACE}
   * seconds; returns once the exit code is there (137 when the wrapper died without recording one)
   * and prints {@code @@terminated}.
   */
  public static String terminate() {
    return body("terminate.sh");
  }

  private static String body(String name) {
    return BODIES.computeIfAbsent(
        name,
        n -> {
          try (InputStream in = RemoteScripts.class.getResourceAsStream(n)) {
            if (in == null) {
              throw new IllegalStateException("remote script " + n + " missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }
}
