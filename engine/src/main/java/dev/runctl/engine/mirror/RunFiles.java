package dev.runctl.engine.mirror;

import dev.runctl.engine.state.RunFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Which files of a run folder go to the store, and how: the journal as segments, the files that
 * only grow (step logs, metrics) as packs, the rest of the run folder's own files whole. What is
 * this machine's alone stays: the lock, a cancel request (the store has its own), the ledger,
 * temporary files, and the local target's process folders; of the collected artifacts only an index
 * goes (paths and sizes), not the bytes.
 */
final class RunFiles {
  /**
   * The index of the collected artifacts, made for the store: one {@code size TAB path} line each.
   */
  static final String ARTIFACTS_INDEX = "artifacts.index";

  static final String SNAPSHOT = "state.json";
  private static final Set<String> GROWING = Set.of("logs", "metrics");
  private static final Set<String> LOCAL_ONLY =
      Set.of("journal.jsonl", "lock", "holder", "cancel-requested", Ledger.FILE, ARTIFACTS_INDEX);

  private RunFiles() {}

  /** Whether {@code name} is a file of this machine's alone (never shipped nor pulled). */
  static boolean isLocalOnly(String name) {
    return LOCAL_ONLY.contains(name) || name.endsWith(".tmp");
  }

  /** Whether {@code file} (normalized) is one of the run's files that only grow. */
  static boolean isGrowing(RunFolder run, Path file) {
    Path parent = file.getParent();
    return parent != null
        && run.dir().equals(parent.getParent())
        && GROWING.contains(parent.getFileName().toString());
  }

  /** The files that only grow, relative to the run folder. */
  static List<String> growing(RunFolder run) {
    List<String> out = new ArrayList<>();
    for (String dir : GROWING) {
      Path d = run.dir().resolve(dir);
      if (!Files.isDirectory(d)) {
        continue;
      }
      try (Stream<Path> s = Files.list(d)) {
        s.filter(Files::isRegularFile)
            .map(p -> dir + "/" + p.getFileName())
            .filter(n -> !n.endsWith(".tmp"))
            .forEach(out::add);
      } catch (IOException e) {
        // shipped on a later pass
      }
    }
    return out;
  }

  /** The run folder's own files that are shipped whole, relative to it, snapshot left out. */
  static List<String> whole(RunFolder run) {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(run.dir())) {
      s.filter(Files::isRegularFile)
          .map(p -> p.getFileName().toString())
          .filter(n -> !LOCAL_ONLY.contains(n) && !n.equals(SNAPSHOT) && !n.endsWith(".tmp"))
          .sorted()
          .forEach(out::add);
    } catch (IOException e) {
      // shipped on a later pass
    }
    return out;
  }

  /** The artifacts' index: every collected file's size and path, in path order. */
  static byte[] artifactsIndex(RunFolder run) {
    Path root = run.artifacts();
    if (!Files.isDirectory(root)) {
      return new byte[0];
    }
    StringBuilder b = new StringBuilder();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        b.append(Files.size(p)).append('\t').append(root.relativize(p)).append('\n');
      }
    } catch (IOException e) {
      // a file that went while listed: the next pass lists again
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
