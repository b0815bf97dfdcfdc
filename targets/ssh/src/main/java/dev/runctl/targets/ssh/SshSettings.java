package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.Diagnostics;
import dev.runctl.engine.spi.SettingsReader;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.TargetSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What {@code target:} with {@code provider: ssh} takes: the schema composed into the job schema,
 * and its reading into an {@link SshConfig}. Settings left out are OpenSSH's to choose, from the
 * user's {@code ~/.ssh/config} (or {@code ssh_config}).
 */
public final class SshSettings {
  static final List<String> KEYS =
      List.of(
          "host",
          "user",
          "port",
          "identity_file",
          "ssh_config",
          "workdir",
          "python",
          "reconnect_timeout",
          "hosts");

  /** The settings of the ssh target. */
  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
              """
        {
          "description": "ssh: a machine you can ssh into, reached with OpenSSH and your ssh set-up. Settings of `target:` when `provider: ssh`.",
          "type": "object",
          "additionalProperties": false,
          "properties": {
            "host": {
              "description": "the machine: a name from ~/.ssh/config (e.g. gpu-box) or an address; user@host works too.",
              "type": "string",
              "minLength": 1
            },
            "user": {
              "description": "the login name (default: what ssh would use, from ~/.ssh/config).",
              "type": "string",
              "minLength": 1
            },
            "port": {
              "description": "the port (default: from ~/.ssh/config, else 22).",
              "type": "integer",
              "minimum": 1,
              "maximum": 65535
            },
            "identity_file": {
              "description": "a private key file, as ssh -i takes it (default: the agent and ~/.ssh/config); relative to the spec.",
              "type": "string",
              "minLength": 1
            },
            "ssh_config": {
              "description": "a config file used instead of ~/.ssh/config (ssh -F), relative to the spec.",
              "type": "string",
              "minLength": 1
            },
            "workdir": {
              "description": "the folder on the host for the job's files; relative to the home folder there. Default ~/runctl/<job>, which teardown removes (a workdir you name is left).",
              "type": "string",
              "minLength": 1
            },
            "python": {
              "description": "the Python on the host that provision and plan --check look for. Default python3.",
              "type": "string",
              "minLength": 1
            },
            "reconnect_timeout": {
              "$ref": "#/$defs/duration",
              "description": "how long runctl keeps reconnecting to a host that stopped answering during train before it counts as an interruption. Default 10m."
            },
            "hosts": {
              "description": "reserved for jobs on several machines (not supported yet: use host).",
              "type": "array"
            }
          }
        }
          """)
          .whenMalformed("port", "'%s' is not a port", "1 to 65535");

  private final Diagnostics d;

  SshSettings(Diagnostics diagnostics) {
    this.d = diagnostics;
  }

  SshConfig read(TargetSettings spec) {
    SettingsReader r =
        new SettingsReader(spec.settings(), d, "the ssh target", spec.position())
            .onlyKeys(
                new java.util.ArrayList<>(
                    java.util.stream.Stream.concat(List.of("provider").stream(), KEYS.stream())
                        .toList()));
    String h;
    if (spec.settings().get("hosts").isPresent()) {
      r.error(
          "hosts",
          "hosts: [...] (several machines) is not supported yet: the ssh target runs a job on one"
              + " host",
          "write host: NAME for one machine; multi-node jobs come later");
      h = r.string("host").orElse("");
    } else {
      h =
          r.required(
              "host",
              "a name from ~/.ssh/config (e.g. host: gpu-box) or an address (user@10.0.0.5 works"
                  + " too)");
    }
    Optional<String> user = r.string("user").filter(s -> !s.isBlank());
    int at = h.lastIndexOf('@');
    if (at > 0 && user.isEmpty()) {
      user = Optional.of(h.substring(0, at));
      h = h.substring(at + 1);
    }
    r.check(!h.startsWith("-"), "host", "host '" + h + "' starts with a dash", "write a host name");
    Path specDir = specDir(spec);
    return new SshConfig(
        h,
        user,
        r.integer("port", 1, 65535),
        r.string("identity_file").map(f -> localPath(specDir, f)),
        r.string("ssh_config").map(f -> localPath(specDir, f)),
        r.string("workdir").filter(s -> !s.isBlank()),
        r.string("python").filter(s -> !s.isBlank()).orElse("python3"),
        r.duration("reconnect_timeout").orElse(SshConfig.DEFAULT_RECONNECT));
  }

  /** {@code ~/x} in the user's home; a relative path next to the spec. */
  private static Path localPath(Path specDir, String value) {
    if (value.startsWith("~/")) {
      return Path.of(System.getProperty("user.home"), value.substring(2));
    }
    return specDir.resolve(value).toAbsolutePath().normalize();
  }

  private static Path specDir(TargetSettings spec) {
    Path parent = Path.of(spec.position().file()).toAbsolutePath().getParent();
    return parent == null ? Path.of("").toAbsolutePath() : parent;
  }
}
