package dev.runctl.steps.sync;

import dev.runctl.engine.spi.ManifestEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Walks a workdir in parallel (one task per folder, so that the stat calls of many folders
 * overlap), applying the spec's excludes, every {@code .gitignore} and {@code .runctlignore} on the
 * way, and the include globs that win over them ({@link Selection}). A symlink is followed when it
 * points inside the workdir and reported as a problem when it points outside it (or nowhere, or to
 * a folder that contains it).
 */
final class WorkdirScanner {
  static final List<String> IGNORE_FILES = List.of(".gitignore", ".runctlignore");
  private static final int THREADS = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

  /**
   * {@code stateFolders}: folders of the workdir that hold runctl state of their own (a {@code
   * .runctl} folder from runs started there, say), relative, which were not synced.
   */
  record Result(List<ManifestEntry> files, List<String> problems, List<String> stateFolders) {}

  private final Path root;
  private final Path realRoot;
  private final IgnoreRules rules;
  private final Selection selection;
  private final Set<Path> skip;
  private final ManifestCache hashes;
  private final Queue<ManifestEntry> files = new ConcurrentLinkedQueue<>();
  private final Queue<String> problems = new ConcurrentLinkedQueue<>();
  private final Queue<String> stateFolders = new ConcurrentLinkedQueue<>();

  /**
   * {@code skip}: absolute folders never synced (runctl's own state folder); {@code hashes}: known
   * hashes, so that only new or changed files are read (while the walk goes on elsewhere).
   */
  WorkdirScanner(
      Path root, IgnoreRules rules, Includes includes, Set<Path> skip, ManifestCache hashes)
      throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.realRoot = this.root.toRealPath();
    this.rules = rules;
    this.selection = new Selection(includes);
    this.skip = skip;
    this.hashes = hashes;
  }

  Result scan() throws InterruptedException {
    ForkJoinPool pool = new ForkJoinPool(THREADS);
    try {
      pool.submit(new Folder(root, "", rules, Selection.Mode.NORMAL)).get();
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof UncheckedIOException u ? u : new IllegalStateException(c);
    } finally {
      pool.shutdownNow();
    }
    List<ManifestEntry> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparing(ManifestEntry::path));
    List<String> p = new ArrayList<>(problems);
    p.sort(null);
    List<String> state = new ArrayList<>(stateFolders);
    state.sort(null);
    return new Result(sorted, p, state);
  }

  private final class Folder extends RecursiveAction {
    private static final long serialVersionUID = 1L;
    private final transient Path dir;
    private final String rel;
    private final transient IgnoreRules inherited;
    private final Selection.Mode mode;

    Folder(Path dir, String rel, IgnoreRules inherited, Selection.Mode mode) {
      this.dir = dir;
      this.rel = rel;
      this.inherited = inherited;
      this.mode = mode;
    }

    @Override
    protected void compute() {
      List<Path> entries = new ArrayList<>();
      List<String> names = new ArrayList<>();
      IgnoreRules here = inherited;
      try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
        boolean[] ignoreFiles = new boolean[IGNORE_FILES.size()];
        for (Path entry : stream) {
          String name = entry.getFileName().toString();
          entries.add(entry);
          names.add(name);
          int i = IGNORE_FILES.indexOf(name);
          if (i >= 0) {
            ignoreFiles[i] = true;
          }
        }
        for (int i = 0; i < ignoreFiles.length; i++) {
          Path f = dir.resolve(IGNORE_FILES.get(i));
          if (ignoreFiles[i] && Files.isRegularFile(f)) {
            here =
                here.with(
                    rel, Files.readAllLines(f, StandardCharsets.UTF_8), child(IGNORE_FILES.get(i)));
          }
        }
      } catch (IOException e) {
        problems.add(display(rel) + ": cannot read the folder (" + e.getMessage() + ")");
        return;
      }
      if (!rel.isEmpty() && StateFolders.holdsState(dir, names)) {
        stateFolders.add(rel);
        return;
      }
      List<Folder> subtasks = new ArrayList<>();
      for (int i = 0; i < entries.size(); i++) {
        String name = names.get(i);
        visit(entries.get(i), child(name), name, here, subtasks);
      }
      invokeAll(subtasks);
    }

    private void visit(
        Path entry, String path, String name, IgnoreRules here, List<Folder> subtasks) {
      if (skip.contains(entry)) {
        return;
      }
      try {
        PosixFileAttributes a =
            Files.readAttributes(entry, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (a.isSymbolicLink()) {
          if (!selection.file(mode, here, path, name)
              && selection.folder(mode, here, path, name) == null) {
            return;
          }
          Path real;
          try {
            real = entry.toRealPath();
          } catch (IOException e) {
            problems.add(path + " is a broken symlink (-> " + Files.readSymbolicLink(entry) + ")");
            return;
          }
          if (!real.startsWith(realRoot)) {
            problems.add(path + " is a symlink to " + real + ", outside the workdir");
            return;
          }
          a = Files.readAttributes(entry, PosixFileAttributes.class);
          if (a.isDirectory()
              && entry.toAbsolutePath().normalize().getParent().toRealPath().startsWith(real)) {
            problems.add(
                path + " is a symlink to " + real + ", a folder that contains it (a loop)");
            return;
          }
        }
        if (a.isDirectory()) {
          Selection.Mode sub = selection.folder(mode, here, path, name);
          if (sub != null) {
            subtasks.add(new Folder(entry, path, here, sub));
          }
        } else if (a.isRegularFile() && selection.file(mode, here, path, name)) {
          long mtime = a.lastModifiedTime().toMillis();
          String sha = hashes.sha256(path, entry, a.size(), mtime);
          files.add(new ManifestEntry(path, a.size(), mtime, mode(a.permissions()), sha));
        }
      } catch (IOException e) {
        problems.add(path + ": cannot read it (" + e.getMessage() + ")");
      }
    }

    private String child(String name) {
      return rel.isEmpty() ? name : rel + "/" + name;
    }
  }

  private static String display(String rel) {
    return rel.isEmpty() ? "the workdir" : rel;
  }

  static int mode(Set<PosixFilePermission> perms) {
    int mode = 0;
    for (PosixFilePermission p : perms) {
      mode |=
          switch (p) {
            case OWNER_READ -> 0400;
            case OWNER_WRITE -> 0200;
            case OWNER_EXECUTE -> 0100;
            case GROUP_READ -> 040;
            case GROUP_WRITE -> 020;
            case GROUP_EXECUTE -> 010;
            case OTHERS_READ -> 04;
            case OTHERS_WRITE -> 02;
            case OTHERS_EXECUTE -> 01;
          };
    }
    return mode;
  }
}
