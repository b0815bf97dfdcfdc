package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.StepException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@code remote/probe.sh} found on the host. */
record HostFacts(
    String home,
    String os,
    Optional<String> python,
    long freeKb,
    String diskPath,
    List<String> gpus,
    List<String> lacks) {

  /** Runs {@code remote/probe.sh} on the host: looks, changes nothing. */
  static HostFacts probe(SshClient ssh, String job) throws InterruptedException {
    Map<String, String> vars = new LinkedHashMap<>();
    vars.put("PY", ssh.config().python());
    vars.put("W", ssh.config().workdir().orElse("~/runctl/" + job));
    SshClient.Result r = ssh.script(Scripts.of(vars, "probe.sh"));
    try {
      return parse(r.out());
    } catch (IllegalStateException e) {
      throw StepException.transientError(
          e.getMessage() + " " + SshProcesses.tail(r.stderr()),
          "the host's login shell must run 'bash -s'; check that bash is installed there",
          null);
    }
  }

  static HostFacts parse(String out) {
    String home = Scripts.marker(out, "home");
    if (home == null || home.isBlank() || Scripts.marker(out, "done") == null) {
      throw new IllegalStateException("the host's probe gave no answer: " + out.strip());
    }
    String py = Scripts.marker(out, "python");
    String[] disk = Optional.ofNullable(Scripts.marker(out, "disk")).orElse("").split(" ", 2);
    long kb;
    try {
      kb = Long.parseLong(disk[0].trim());
    } catch (NumberFormatException e) {
      kb = -1;
    }
    String g = Optional.ofNullable(Scripts.marker(out, "gpus")).orElse("-").trim();
    List<String> gpus = g.equals("-") || g.isEmpty() ? List.of() : List.of(g.split(";"));
    List<String> lacks = new ArrayList<>();
    for (String m : Scripts.markers(out)) {
      if (m.startsWith("@@lacks ")) {
        lacks.add(m.substring(8).trim());
      }
    }
    return new HostFacts(
        home.trim(),
        Optional.ofNullable(Scripts.marker(out, "os")).orElse("").trim(),
        py == null || py.trim().equals("-") || py.trim().equals("broken")
            ? Optional.empty()
            : Optional.of(py.trim()),
        kb,
        disk.length > 1 ? disk[1].trim() : "",
        gpus,
        lacks);
  }

  String freeText() {
    return freeKb < 0 ? "unknown" : String.format("%.1f GiB", freeKb / 1048576.0);
  }

  Map<String, String> outputs() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("os", os);
    out.put("python_version", python.orElse("none"));
    out.put("disk_free_gb", freeKb < 0 ? "unknown" : String.format("%.1f", freeKb / 1048576.0));
    out.put("gpus", gpus.isEmpty() ? "none" : String.join("; ", gpus));
    return out;
  }
}
