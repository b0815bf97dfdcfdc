package dev.runctl.steps.sync;

import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.StepContext;
import dev.runctl.engine.spi.StepException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The local workdir as sync sees it: its files after excludes, with hashes, and their digest; and
 * the runctl state folders found in it, which are never synced.
 */
record LocalTree(
    Path root,
    List<ManifestEntry> files,
    String sha256,
    int hashed,
    long bytes,
    List<String> stateFolders) {

  /** The progress line of a scan begun at {@code startedNanos} ({@link System#nanoTime()}). */
  String summary(long startedNanos) {
    return String.format(
        "%d files (%.1f MB) in %s, %d hashed, in %d ms",
        files().size(),
        bytes() / 1e6,
        root(),
        hashed(),
        (System.nanoTime() - startedNanos) / 1_000_000);
  }

  static LocalTree scan(List<String> exclude, List<String> include, StepContext ctx)
      throws IOException, InterruptedException {
    Path root = ctx.localWorkdir().toAbsolutePath().normalize();
    IgnoreRules rules = IgnoreRules.NONE.with("", exclude, "exclude");
    ManifestCache cache = ManifestCache.load(ctx.cacheDir(), root);
    WorkdirScanner.Result scanned =
        new WorkdirScanner(root, rules, Includes.of(include), neverSynced(ctx), cache).scan();
    if (!scanned.problems().isEmpty()) {
      List<String> shown = scanned.problems().stream().limit(10).toList();
      throw new StepException(
          dev.runctl.engine.spi.ErrorClass.FAILURE,
          false,
          "cannot sync "
              + root
              + ":\n  "
              + String.join("\n  ", shown)
              + (scanned.problems().size() > 10
                  ? "\n  ... and " + (scanned.problems().size() - 10) + " more"
                  : ""),
          "a symlink must point inside the workdir: add the path to the sync step's exclude"
              + " (or .runctlignore), or replace the link with the files it points to",
          null);
    }
    List<ManifestEntry> entries = scanned.files();
    cache.save(entries);
    long bytes = entries.stream().mapToLong(ManifestEntry::size).sum();
    return new LocalTree(
        root,
        entries,
        ManifestCache.treeSha(entries),
        cache.hashed(),
        bytes,
        scanned.stateFolders());
  }

  /** runctl's own state (the run folders, the cache) when it lies inside the workdir. */
  private static Set<Path> neverSynced(StepContext ctx) {
    Set<Path> skip = new HashSet<>();
    Path runDir = ctx.runDir().toAbsolutePath().normalize();
    skip.add(runDir);
    if (runDir.getParent() != null && runDir.getParent().getFileName().toString().equals("runs")) {
      skip.add(runDir.getParent().getParent());
    }
    skip.add(ctx.cacheDir().toAbsolutePath().normalize());
    return skip;
  }
}
