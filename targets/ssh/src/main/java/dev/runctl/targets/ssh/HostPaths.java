package dev.runctl.targets.ssh;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where one run lives on the host: the workdir ({@code workdir:}, default {@code ~/runctl/<job>}),
 * the run's own folder ({@code ~/runctl/.runs/<run-id>}: processes, attached commands' pids, kept
 * checkpoints), the workdir's sync manifest ({@code ~/runctl/.sync/<hash of the workdir>}), and the
 * cache shared by runs ({@code ~/runctl/.cache}: virtual environments). {@code owned}: runctl made
 * the workdir for the job (the default place), so teardown removes it.
 */
record HostPaths(String home, String workdir, String runId, boolean owned) {

  static HostPaths of(String home, SshConfig config, String job, String runId) {
    String w = config.workdir().map(s -> absolute(home, s)).orElse(home + "/runctl/" + job);
    return new HostPaths(home, w, runId, config.workdir().isEmpty());
  }

  static String absolute(String home, String path) {
    if (path.equals("~")) {
      return home;
    }
    if (path.startsWith("~/")) {
      return home + path.substring(1);
    }
    return path.startsWith("/") ? path : home + "/" + path;
  }

  String run() {
    return home + "/runctl/.runs/" + runId;
  }

  String process(String name) {
    return run() + "/procs/" + safeName(name);
  }

  String kept(String name) {
    return run() + "/kept/" + safeName(name);
  }

  String execPid(String id) {
    return run() + "/exec/" + id + ".pid";
  }

  String syncState() {
    return home + "/runctl/.sync/" + sha(workdir).substring(0, 16);
  }

  String cache() {
    return home + "/runctl/.cache";
  }

  /** An absolute path on the host for {@code path} relative to the workdir. */
  String resolve(String path) {
    if (path.startsWith("/")) {
      return path;
    }
    String p = path.startsWith("./") ? path.substring(2) : path;
    while (p.endsWith("/") && p.length() > 1) {
      p = p.substring(0, p.length() - 1);
    }
    return p.isEmpty() || p.equals(".") ? workdir : workdir + "/" + p;
  }

  static String safeName(String name) {
    return name.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  private static String sha(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
