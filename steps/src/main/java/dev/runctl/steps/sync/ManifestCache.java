package dev.runctl.steps.sync;

import dev.runctl.engine.manifest.ManifestBytes;
import dev.runctl.engine.manifest.ManifestText;
import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.state.AtomicFile;
import dev.runctl.steps.support.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hashes of a workdir's files as last computed, kept under the cache folder: a file whose size
 * and modification time are unchanged is not read again. Lines as the local workspace's manifest
 * has them ({@link ManifestBytes#entry}). Written to a temporary file and moved into place.
 * Thread-safe for lookups, so that the scanner's tasks hash what they find while they walk.
 */
final class ManifestCache {
  private final Path file;
  private final Map<String, ManifestEntry> known;
  private final AtomicInteger hashed = new AtomicInteger();

  private ManifestCache(Path file, Map<String, ManifestEntry> known) {
    this.file = file;
    this.known = known;
  }

  static ManifestCache load(Path cacheDir, Path workdir) throws IOException {
    String key = Sha256.of(workdir.toAbsolutePath().normalize().toString()).substring(0, 16);
    Path file = cacheDir.resolve("sync").resolve(key + ".manifest");
    Map<String, ManifestEntry> known;
    try {
      known = ManifestText.entries(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      known = new HashMap<>(); // first sync of this workdir: every file is hashed
    }
    return new ManifestCache(file, known);
  }

  /** The file's hash: remembered when its size and modification time are unchanged, else read. */
  String sha256(String path, Path local, long size, long modifiedMillis) throws IOException {
    ManifestEntry k = known.get(path);
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
    ManifestBytes text = ManifestBytes.text(entries.size());
    entries.forEach(text::entry);
    Files.createDirectories(file.getParent());
    AtomicFile.write(file, text.bytes());
  }

  /** The digest of a whole tree: paths, modes and contents (not times), in path order. */
  static String treeSha(List<ManifestEntry> entries) {
    ManifestBytes d = ManifestBytes.digest();
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
