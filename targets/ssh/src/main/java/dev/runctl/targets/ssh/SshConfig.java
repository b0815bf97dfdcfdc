package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.TargetConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code provider: ssh} settings. Empty optionals leave the choice to OpenSSH (the user's {@code
 * ~/.ssh/config}, or {@code sshConfig} in its place); {@code workdir} empty means {@code
 * ~/runctl/<job>} on the host.
 */
public record SshConfig(
    String host,
    Optional<String> user,
    Optional<Integer> port,
    Optional<Path> identityFile,
    Optional<Path> sshConfig,
    Optional<String> workdir,
    String python,
    Duration reconnectTimeout)
    implements TargetConfig {

  public static final Duration DEFAULT_RECONNECT = Duration.ofMinutes(10);

  @Override
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("host", host);
    user.ifPresent(u -> out.put("user", u));
    port.ifPresent(p -> out.put("port", Integer.toString(p)));
    identityFile.ifPresent(f -> out.put("identity_file", f.toString()));
    sshConfig.ifPresent(f -> out.put("ssh_config", f.toString()));
    out.put("workdir", workdir.orElse("~/runctl/<job>"));
    out.put("python", python);
    out.put("reconnect_timeout", dev.runctl.engine.spi.Durations.format(reconnectTimeout));
    return out;
  }
}
