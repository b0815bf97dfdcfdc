package dev.runctl.targets.ssh;

import dev.runctl.engine.spi.ManifestEntry;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a sync's files travel: a large sync is cut into a few tar streams (contiguous runs of the
 * path-sorted list, about equal in bytes), each over its own channel of the one connection and
 * unpacked by its own {@code tar} on the host, so that reading here and unpacking there run side by
 * side. Also which folders the deletions may leave empty.
 */
final class SyncStreams {
  static final int MAX_STREAMS = 3;
  private static final long LARGE_BYTES = 16L << 20;
  private static final int LARGE_FILES = 1000;

  private SyncStreams() {}

  /** {@code send} in parts: one for a small sync, {@link #MAX_STREAMS} for a large one. */
  static List<List<ManifestEntry>> split(List<ManifestEntry> send) {
    long total = send.stream().mapToLong(ManifestEntry::size).sum();
    int n = total >= LARGE_BYTES || send.size() >= LARGE_FILES ? MAX_STREAMS : 1;
    List<List<ManifestEntry>> parts = new ArrayList<>();
    List<ManifestEntry> part = new ArrayList<>();
    // a file costs its bytes plus a header block in the stream
    long share = Math.max(1, (total + 512L * send.size()) / n);
    long inPart = 0;
    for (ManifestEntry e : send) {
      part.add(e);
      inPart += e.size() + 512;
      if (inPart >= share && parts.size() < n - 1) {
        parts.add(part);
        part = new ArrayList<>();
        inPart = 0;
      }
    }
    if (!part.isEmpty() || parts.isEmpty()) {
      parts.add(part);
    }
    return parts;
  }

  /** Writes {@code files} (read under {@code root}) as one tar stream. */
  static void tar(OutputStream raw, Path root, List<ManifestEntry> files) throws IOException {
    OutputStream o = new BufferedOutputStream(raw, 1 << 16);
    TarWriter tar = new TarWriter(o);
    for (ManifestEntry e : files) {
      tar.file(e.path(), root.resolve(e.path()), e.size(), e.mode(), e.modifiedMillis() / 1000);
    }
    tar.finish();
  }

  /**
   * The folders of {@code deleted} paths that hold none of the {@code wanted} paths, deepest first:
   * removed when empty (files the job wrote there keep them).
   */
  static List<String> emptiedFolders(Set<String> deleted, Set<String> wanted) {
    Set<String> keep = new HashSet<>();
    for (String w : wanted) {
      for (int i = w.indexOf('/'); i >= 0; i = w.indexOf('/', i + 1)) {
        keep.add(w.substring(0, i));
      }
    }
    TreeSet<String> out =
        new TreeSet<>(
            (a, b) -> a.length() != b.length() ? b.length() - a.length() : a.compareTo(b));
    for (String d : deleted) {
      for (int i = d.lastIndexOf('/'); i > 0; i = d.lastIndexOf('/', i - 1)) {
        String folder = d.substring(0, i);
        if (keep.contains(folder) || !out.add(folder)) {
          break;
        }
      }
    }
    return new ArrayList<>(out);
  }
}
