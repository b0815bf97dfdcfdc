package dev.runctl.steps.sync;

import dev.runctl.engine.spi.ManifestBytes;
import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.ManifestText;
import dev.runctl.steps.support.Sha256;
import java.io.IOException;
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
    boolean[] damaged = {false};
    boolean whole =
        ManifestText.forEachLine(
            data,
            4,
            line -> {
              long size = line.number(1, 10);
              long mtime = line.number(2, 10);
              if (size < 0 || mtime < 0) {
                damaged[0] = true;
              } else {
                known.put(line.path(3), new Known(line.ascii(0), size, mtime));
              }
            });
    return whole && !damaged[0] ? known : new HashMap<>();
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
    ManifestBytes text = ManifestBytes.text(entries.size());
    for (ManifestEntry e : entries) {
      text.text(e.sha256())
          .ch('\t')
          .number(e.size())
          .ch('\t')
          .number(e.modifiedMillis())
          .ch('\t')
          .text(ManifestText.escape(e.path()))
          .ch('\n');
    }
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
    Files.write(tmp, text.bytes());
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
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
