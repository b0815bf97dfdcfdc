package dev.runctl.targets.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * This computer's processes as Linux's {@code /proc} shows them: ids, parent, process group,
 * session and start time (clock ticks since boot, which with the pid names one process for good: a
 * reused pid has a later start), and the environment a process was started with. Reads only; a
 * process that ends while it is read is left out.
 */
final class ProcTable {
  private static final Path PROC = Path.of("/proc");

  private ProcTable() {}

  /** One process: its ids and its start, in clock ticks since boot. */
  record Proc(long pid, long ppid, long pgid, long sid, long startTicks) {
    /** {@code pid:startTicks}, the text form {@link #parseId} reads. */
    String id() {
      return pid + ":" + startTicks;
    }
  }

  /** Every process this user can see. */
  static List<Proc> all() {
    List<Proc> out = new ArrayList<>();
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path d : dirs) {
        read(Long.parseLong(d.getFileName().toString())).ifPresent(out::add);
      }
    } catch (IOException | NumberFormatException e) {
      // no /proc (not Linux): nothing to tell
    }
    return out;
  }

  /** The process {@code pid}, if it exists (a zombie included). */
  static Optional<Proc> read(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
      // "pid (comm) state ppid pgrp session ... starttime(22nd)"; comm may hold spaces and ')'
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      if (f[0].equals("Z") || f[0].equals("X")) {
        return Optional.empty(); // ended, not yet reaped: nothing left to stop
      }
      return Optional.of(
          new Proc(
              pid,
              Long.parseLong(f[1]),
              Long.parseLong(f[2]),
              Long.parseLong(f[3]),
              Long.parseLong(f[19])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** True when the process {@code pid:startTicks} (see {@link Proc#id}) is still alive. */
  static boolean alive(String id) {
    long[] p = parseId(id);
    return p != null && read(p[0]).map(x -> x.startTicks() == p[1]).orElse(false);
  }

  /** {@code [pid, startTicks]} of an id written by {@link Proc#id}, or null when malformed. */
  static long[] parseId(String id) {
    int colon = id.indexOf(':');
    try {
      return colon < 0
          ? null
          : new long[] {
            Long.parseLong(id.substring(0, colon).trim()),
            Long.parseLong(id.substring(colon + 1).trim())
          };
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The value of {@code key} in the environment {@code pid} was started with, if readable. */
  static Optional<String> environ(long pid, String key) {
    byte[] env;
    try {
      env = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
    byte[] prefix = (key + "=").getBytes(StandardCharsets.UTF_8);
    int start = 0;
    for (int i = 0; i <= env.length; i++) {
      if (i == env.length || env[i] == 0) {
        if (i - start >= prefix.length && startsWith(env, start, prefix)) {
          return Optional.of(
              new String(
                  env, start + prefix.length, i - start - prefix.length, StandardCharsets.UTF_8));
        }
        start = i + 1;
      }
    }
    return Optional.empty();
  }

  /** The processes started with {@code key=value} in their environment (or a parent's). */
  static List<Proc> carrying(String key, String value) {
    return all().stream()
        .filter(p -> environ(p.pid(), key).filter(value::equals).isPresent())
        .toList();
  }

  /** The command line of {@code pid}, its arguments joined by spaces, at most 80 characters. */
  static String commandLine(long pid) {
    try {
      byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
      String text = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
      return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  /** Whether any process is still in the process group {@code pgid}. */
  static boolean groupAlive(long pgid) {
    return all().stream().anyMatch(p -> p.pgid() == pgid);
  }

  private static boolean startsWith(byte[] a, int at, byte[] prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (a[at + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
