package dev.runctl.targets.local;

import dev.runctl.engine.spi.StepException;
import java.util.regex.Pattern;

/**
 * The durable identity of a detached process: its name, the pid and start time of the script's
 * process (group leader), and those of its supervisor. The start times detect pid reuse after a
 * restart. Text form: {@code
 * local:v1:<name>:<pid>:<startMillis>:<supervisorPid>:<supervisorStart>}.
 */
record ProcHandle(
    String name, long pid, long startMillis, long supervisorPid, long supervisorStart) {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
  private static final String PREFIX = "local:v1:";

  String text() {
    return PREFIX
        + name
        + ":"
        + pid
        + ":"
        + startMillis
        + ":"
        + supervisorPid
        + ":"
        + supervisorStart;
  }

  static ProcHandle parse(String text) {
    String[] parts = text.startsWith(PREFIX) ? text.substring(PREFIX.length()).split(":") : null;
    if (parts == null || parts.length != 5 || !NAME.matcher(parts[0]).matches()) {
      throw StepException.fatal(
          "'" + text + "' is not a handle of the local target",
          "a local handle reads local:v1:<name>:<pid>:<start>:<supervisor-pid>:<start>");
    }
    try {
      return new ProcHandle(
          parts[0],
          Long.parseLong(parts[1]),
          Long.parseLong(parts[2]),
          Long.parseLong(parts[3]),
          Long.parseLong(parts[4]));
    } catch (NumberFormatException e) {
      throw StepException.fatal("'" + text + "' is not a handle of the local target", null);
    }
  }
}
