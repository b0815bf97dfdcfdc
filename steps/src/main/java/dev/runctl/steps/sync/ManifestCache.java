package dev.runctl.steps.sync;

import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.ManifestText;
import dev.runctl.steps.support.Sha256;
import java.io.BufferedReader;
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
    Map<String, Known> known = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        int a = line.indexOf('\t');
        int b = line.indexOf('\t', a + 1);
        int c = line.indexOf('\t', b + 1);
        if (a > 0 && b > a && c > b) {
          known.put(
              ManifestText.unescape(line.substring(c + 1)),
              new Known(
                  line.substring(0, a),
                  Long.parseLong(line, a + 1, b, 10),
                  Long.parseLong(line, b + 1, c, 10)));
        }
      }
    } catch (NoSuchFileException e) {
      // first sync of this workdir: every file is hashed
    } catch (NumberFormatException e) {
      known.clear(); // a damaged cache is only a slower sync
    }
    return new ManifestCache(file, known);
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
    StringBuilder b = new StringBuilder(entries.size() * 120);
    for (ManifestEntry e : entries) {
      b.append(ManifestText.escape(e.path()))
          .append('\t')
          .append(Integer.toOctalString(e.mode()))
          .append('\t')
          .append(e.sha256())
          .append('\n');
    }
    return Sha256.of(b.toString());
  }
}
