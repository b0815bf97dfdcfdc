package dev.runctl.targets.ssh;

import dev.runctl.engine.spec.ConfigNode;
import dev.runctl.engine.spec.ConfigNode.Mapping;
import dev.runctl.engine.spec.Diagnostics;
import dev.runctl.engine.spec.Durations;
import dev.runctl.engine.spec.Suggestions;
import dev.runctl.engine.spec.TargetSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads the {@code target:} mapping of {@code provider: ssh}; every problem is a diagnostic. */
final class SshSettings {
  static final List<String> KEYS =
      List.of(
          "provider",
          "host",
          "user",
          "port",
          "identity_file",
          "ssh_config",
          "workdir",
          "python",
          "reconnect_timeout",
          "hosts");

  private final Diagnostics d;

  SshSettings(Diagnostics diagnostics) {
    this.d = diagnostics;
  }

  SshConfig read(TargetSpec spec) {
    Mapping m = spec.settings();
    m.keys()
        .forEach(
            (key, at) -> {
              if (!KEYS.contains(key)) {
                d.error(
                    at,
                    "the ssh target has no setting '" + key + "'",
                    Suggestions.didYouMean(key, KEYS)
                        .orElse("its settings: " + String.join(", ", KEYS.subList(1, 9))));
              }
            });
    if (m.get("hosts").isPresent()) {
      d.error(
          m.keyPosition("hosts"),
          "hosts: [...] (several machines) is not supported yet: the ssh target runs a job on one"
              + " host",
          "write host: NAME for one machine; multi-node jobs come later");
    }
    Optional<String> host = text(m, "host");
    if (host.isEmpty() && m.get("hosts").isEmpty()) {
      d.error(
          spec.position(),
          "the ssh target needs host:",
          "host: a name from ~/.ssh/config (e.g. gpu-box) or an address (user@10.0.0.5 works too)");
    }
    Optional<String> user = text(m, "user");
    String h = host.orElse("");
    int at = h.lastIndexOf('@');
    if (at > 0 && user.isEmpty()) {
      user = Optional.of(h.substring(0, at));
      h = h.substring(at + 1);
    }
    if (h.startsWith("-")) {
      d.error(m.keyPosition("host"), "host '" + h + "' starts with a dash", "write a host name");
    }
    Optional<Integer> port = Optional.empty();
    Optional<String> portText = text(m, "port");
    if (portText.isPresent()) {
      try {
        int p = Integer.parseInt(portText.get());
        if (p < 1 || p > 65535) {
          throw new NumberFormatException();
        }
        port = Optional.of(p);
      } catch (NumberFormatException e) {
        d.error(m.keyPosition("port"), "port '" + portText.get() + "' is not a port", "1 to 65535");
      }
    }
    Duration reconnect = SshConfig.DEFAULT_RECONNECT;
    Optional<String> rt = text(m, "reconnect_timeout");
    if (rt.isPresent()) {
      Optional<Duration> parsed = Durations.parse(rt.get());
      if (parsed.isEmpty()) {
        d.error(m.keyPosition("reconnect_timeout"), "not a duration: " + rt.get(), Durations.HINT);
      } else {
        reconnect = parsed.get();
      }
    }
    Path specDir = specDir(spec);
    return new SshConfig(
        h,
        user,
        port,
        text(m, "identity_file").map(f -> localPath(specDir, f)),
        text(m, "ssh_config").map(f -> localPath(specDir, f)),
        text(m, "workdir"),
        text(m, "python").orElse("python3"),
        reconnect);
  }

  private Optional<String> text(Mapping m, String key) {
    Optional<ConfigNode> node = m.get(key);
    if (node.isPresent() && !(node.get() instanceof ConfigNode.Scalar)) {
      d.error(m.keyPosition(key), key + " must be a single value", null);
      return Optional.empty();
    }
    return m.text(key).filter(s -> !s.isBlank());
  }

  /** {@code ~/x} in the user's home; a relative path next to the spec. */
  private static Path localPath(Path specDir, String value) {
    if (value.startsWith("~/")) {
      return Path.of(System.getProperty("user.home"), value.substring(2));
    }
    return specDir.resolve(value).toAbsolutePath().normalize();
  }

  private static Path specDir(TargetSpec spec) {
    Path file = Path.of(spec.position().file());
    Path parent = file.toAbsolutePath().getParent();
    return parent == null ? Path.of("").toAbsolutePath() : parent;
  }
}
