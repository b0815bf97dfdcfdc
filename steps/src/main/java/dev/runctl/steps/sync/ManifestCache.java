package dev.runctl.steps.sync;

import dev.runctl.engine.spi.ManifestDigest;
import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.ManifestText;
import dev.runctl.steps.support.Sha256;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hashes of a workdir's files as last computed, kept under the cache folder: a file whose size
 * and modification time are unchanged is not read again. Lines: {@code sha256 TAB size TAB mtime
 * TAB path}. Written to a temporary file and moved into place. Thread-safe for lookups, so that the
 * scanner's tasks hash what they find while they walk.
 */
final class ManifestCache {
  private record Known(String sha256, long size, long modifiedMillis) {}

  private final Path file;
  private final Map<String, Known> known;
  private final AtomicInteger hashed = new AtomicInteger();

  private ManifestCache(Path file, Map<String, Known> known) {
    this.file = file;
    this.known = known;
  }

  static ManifestCache load(Path cacheDir, Path workdir) throws IOException {
    String key = Sha256.of(workdir.toAbsolutePath().normalize().toString()).substring(0, 16);
    Path file = cacheDir.resolve("sync").resolve(key + ".manifest");
    Map<String, Known> known;
    try {
      known = parse(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      known = new HashMap<>(); // first sync of this workdir: every file is hashed
    }
    return new ManifestCache(file, known);
  }

  /**
   * The cache's lines, parsed from bytes (a re-sync of a large tree reads ten thousand of them
   * before anything else can happen); a damaged cache is only a slower sync: it counts as empty.
   */
  private static Map<String, Known> parse(byte[] data) {
    Map<String, Known> known = new HashMap<>(Math.max(16, data.length / 60));
    int i = 0;
    while (i < data.length) {
      int end = indexOf(data, (byte) '\n', i, data.length);
      int a = indexOf(data, (byte) '\t', i, end);
      int b = indexOf(data, (byte) '\t', a + 1, end);
      int c = indexOf(data, (byte) '\t', b + 1, end);
      long size = digits(data, a + 1, b);
      long mtime = digits(data, b + 1, c);
      if (a <= i || c >= end || size < 0 || mtime < 0) {
        return new HashMap<>();
      }
      known.put(
          ManifestText.unescape(new String(data, c + 1, end - c - 1, StandardCharsets.UTF_8)),
          new Known(new String(data, i, a - i, StandardCharsets.ISO_8859_1), size, mtime));
      i = end + 1;
    }
    return known;
  }

  /** The index of {@code b} in {@code data[from, to)}, or {@code to}. */
  private static int indexOf(byte[] data, byte b, int from, int to) {
    for (int i = from; i < to; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    return to;
  }

  /** The decimal number in {@code data[from, to)}, or -1 when it is not one. */
  private static long digits(byte[] data, int from, int to) {
    if (from >= to || to - from > 18) {
      return -1;
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      int d = data[i] - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      v = v * 10 + d;
    }
    return v;
  }

  /** The file's hash: remembered when its size and modification time are unchanged, else read. */
  String sha256(String path, Path local, long size, long modifiedMillis) throws IOException {
    Known k = known.get(path);
    if (k != null && k.size() == size && k.modifiedMillis() == modifiedMillis) {
      return k.sha256();
    }
    hashed.incrementAndGet();
    return Sha256.ofFile(local);
  }

  /** How many files had to be read and hashed. */
  int hashed() {
    return hashed.get();
  }

  /** Writes the cache anew when it does not describe {@code entries} already. */
  void save(List<ManifestEntry> entries) throws IOException {
    if (hashed.get() == 0 && known.size() == entries.size()) {
      return;
    }
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (ManifestEntry e : entries) {
        w.write(
            e.sha256()
                + "\t"
                + e.size()
                + "\t"
                + e.modifiedMillis()
                + "\t"
                + ManifestText.escape(e.path())
                + "\n");
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The digest of a whole tree: paths, modes and contents (not times), in path order. */
  static String treeSha(List<ManifestEntry> entries) {
    ManifestDigest d = new ManifestDigest();
    for (ManifestEntry e : entries) {
      d.text(ManifestText.escape(e.path()))
          .ch('\t')
          .octal(e.mode())
          .ch('\t')
          .text(e.sha256())
          .ch('\n');
    }
    return d.hex();
  }
}
