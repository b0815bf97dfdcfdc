package dev.runctl.targets.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What of one run is alive on the host ({@code remote/live.sh}); looks, changes nothing. */
record Live(List<Proc> processes, boolean workdir) {

  record Proc(String name, String pid, String heartbeatAge) {}

  static Live look(SshClient ssh, HostPaths paths) throws InterruptedException {
    Map<String, String> vars =
        Map.of("R", paths.run(), "W", paths.workdir(), "OWNED", paths.owned() ? "yes" : "");
    String out = ssh.script(Scripts.of(vars, "live.sh")).out();
    if (!out.contains("@@done")) {
      throw SshErrors.unreachable(ssh.config(), "no answer to a look at the run's processes");
    }
    List<Proc> procs = new ArrayList<>();
    for (String m : Scripts.markers(out)) {
      if (m.startsWith("@@proc ")) {
        String[] f = m.substring(7).split(" ");
        procs.add(new Proc(f[0], f.length > 1 ? f[1] : "?", f.length > 2 ? f[2] : "?"));
      }
    }
    return new Live(procs, out.contains("@@workdir"));
  }
}
