package dev.runctl.steps.sync;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What sync leaves out that a user may not expect, said by {@code plan} and in the sync log: a path
 * a step names (the train script, a config file among its arguments) that an exclude, {@code
 * .gitignore} or {@code .runctlignore} leaves out; and a folder or file of more than {@link #LARGE}
 * bytes in the top two levels of the workdir that {@code .gitignore} or {@code .runctlignore}
 * leaves out (one the spec's own {@code exclude:} names is left out on purpose). Hidden folders and
 * Python and Node environments ({@code .venv}, {@code node_modules}) are not measured: nobody syncs
 * those by mistake.
 */
final class LeftOut {
  /** 100 MB: more than a script and its configs, less than a data set. */
  static final long LARGE = 100_000_000L;

  private static final int DEPTH = 2;
  private static final int MAX_FILES = 50_000;
  private static final Set<String> ENVIRONMENTS =
      Set.of("venv", "env", "node_modules", "__pycache__", "site-packages");

  /**
   * One thing left out: {@code namedBy} the step that names it ("" when not known), or null for a
   * large one.
   */
  record Item(String path, boolean folder, String rule, String namedBy) {
    String message() {
      String what = path + (folder ? "/" : "");
      return namedBy != null
          ? (namedBy.isEmpty() ? "a step" : "step '" + namedBy + "'")
              + " names '"
              + path
              + "', which sync leaves out ("
              + rule
              + "): the machine will not have it"
          : "sync leaves out " + what + " (more than 100 MB; " + rule + ")";
    }

    /** The {@code include:} glob that syncs it. */
    String glob() {
      return (path.contains("/") ? "" : "/") + path + (folder ? "/" : "");
    }

    String hint() {
      String include = "add include: [\"" + glob() + "\"] to the sync step's with:";
      return namedBy != null
          ? include + " (synced even when ignored)"
          : "if a step reads it, "
              + include
              + "; if it stays behind on purpose, add it to exclude:";
    }
  }

  private final Path root;
  private final IgnoreRules spec;
  private final Selection selection;

  LeftOut(Path root, List<String> exclude, List<String> include) {
    this.root = root.toAbsolutePath().normalize();
    this.spec = IgnoreRules.NONE.with("", exclude, "exclude");
    this.selection = new Selection(Includes.of(include));
  }

  /** {@code path} (named by step {@code step}) when it exists and sync leaves it out. */
  java.util.Optional<Item> named(String step, String path) {
    String rel;
    try {
      Path p = Path.of(path).normalize();
      rel = p.toString().replace('\\', '/');
      if (p.isAbsolute()
          || rel.isEmpty()
          || rel.startsWith("..")
          || !Files.exists(root.resolve(p))) {
        return java.util.Optional.empty();
      }
    } catch (InvalidPathException e) {
      return java.util.Optional.empty();
    }
    String[] parts = rel.split("/");
    IgnoreRules rules = spec;
    Selection.Mode mode = Selection.Mode.NORMAL;
    String why = null;
    String at = "";
    for (int i = 0; i < parts.length; i++) {
      rules = withIgnoreFiles(rules, at);
      String child = at.isEmpty() ? parts[i] : at + "/" + parts[i];
      boolean last = i == parts.length - 1;
      boolean dir = !last || Files.isDirectory(root.resolve(child));
      if (dir) {
        Selection.Mode sub = selection.folder(mode, rules, child, parts[i]);
        if (sub != Selection.Mode.NORMAL && sub != Selection.Mode.ALL && why == null) {
          why = rules.reason(child, parts[i], true);
        }
        if (sub == null || (last && sub == Selection.Mode.ONLY_INCLUDED)) {
          return java.util.Optional.of(new Item(rel, last, why, step));
        }
        mode = sub;
      } else if (!selection.file(mode, rules, child, parts[i])) {
        String rule = why != null ? why : rules.reason(child, parts[i], false);
        return java.util.Optional.of(new Item(rel, false, rule, step));
      }
      at = child;
    }
    return java.util.Optional.empty();
  }

  /** Folders and files over {@link #LARGE} that ignore files leave out, in the top two levels. */
  List<Item> large() {
    List<Item> found = new ArrayList<>();
    large("", spec, 1, found);
    return found;
  }

  private void large(String at, IgnoreRules inherited, int depth, List<Item> found) {
    IgnoreRules rules = withIgnoreFiles(inherited, at);
    Path dir = at.isEmpty() ? root : root.resolve(at);
    List<Path> entries;
    try (Stream<Path> s = Files.list(dir)) {
      entries = s.sorted().toList();
    } catch (IOException e) {
      return;
    }
    if (!at.isEmpty()
        && StateFolders.holdsState(
            dir, entries.stream().map(p -> p.getFileName().toString()).toList())) {
      return;
    }
    for (Path entry : entries) {
      String name = entry.getFileName().toString();
      String path = at.isEmpty() ? name : at + "/" + name;
      if (Files.isSymbolicLink(entry) || name.startsWith(".") || ENVIRONMENTS.contains(name)) {
        continue;
      }
      boolean isDir = Files.isDirectory(entry);
      boolean out =
          isDir
              ? selection.folder(Selection.Mode.NORMAL, rules, path, name) == null
              : !selection.file(Selection.Mode.NORMAL, rules, path, name);
      if (!out) {
        if (isDir && depth < DEPTH) {
          large(path, rules, depth + 1, found);
        }
        continue;
      }
      String rule = rules.reason(path, name, isDir);
      // what the spec's own exclude: names is left out on purpose, whatever an ignore file says
      if (rule != null && !spec.ignored(path, name, isDir) && size(entry) > LARGE) {
        found.add(new Item(path, isDir, rule, null));
      }
    }
  }

  /** The bytes under {@code p}, counted until they pass {@link #LARGE}; -1 after too many files. */
  private static long size(Path p) {
    long[] sum = {0, 0};
    try {
      Files.walkFileTree(
          p,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
              sum[0] += a.size();
              return sum[0] > LARGE
                  ? FileVisitResult.TERMINATE
                  : ++sum[1] > MAX_FILES ? abandon() : FileVisitResult.CONTINUE;
            }

            private FileVisitResult abandon() {
              sum[0] = -1;
              return FileVisitResult.TERMINATE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      return -1;
    }
    return sum[0];
  }

  /**
   * {@code rules} and the ignore files of the folder {@code at}, as the walk of sync reads them.
   */
  private IgnoreRules withIgnoreFiles(IgnoreRules rules, String at) {
    IgnoreRules out = rules;
    for (String name : WorkdirScanner.IGNORE_FILES) {
      Path f = (at.isEmpty() ? root : root.resolve(at)).resolve(name);
      if (Files.isRegularFile(f)) {
        try {
          out =
              out.with(
                  at,
                  Files.readAllLines(f, StandardCharsets.UTF_8),
                  at.isEmpty() ? name : at + "/" + name);
        } catch (IOException e) {
          // the sync walk reports an unreadable ignore file
        }
      }
    }
    return out;
  }
}
