package dev.runctl.targets.local;

import dev.runctl.engine.spi.ManifestBytes;
import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.ManifestText;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a workspace holds, as the last sync left it: a first line with the digest of the entries (so
 * that an unchanged re-sync reads one line), then one line per file, {@code sha256 TAB mode(octal)
 * TAB size TAB mtime TAB path} (path escaped). Written to a temporary file and moved into place, so
 * that a crash leaves the old or the new manifest, never half of one.
 */
final class WorkspaceManifest {
  static final String FILE_NAME = ".runctl-manifest";

  private WorkspaceManifest() {}

  private static final String HEADER = "# runctl manifest ";

  /** A digest of the entries, in order: equal digests, equal manifests. */
  static String digest(List<ManifestEntry> entries) {
    ManifestBytes d = ManifestBytes.digest();
    for (ManifestEntry e : entries) {
      d.text(e.sha256())
          .ch('\t')
          .number(e.mode())
          .ch('\t')
          .number(e.size())
          .ch('\t')
          .number(e.modifiedMillis())
          .ch('\t')
          .text(ManifestText.escape(e.path()))
          .ch('\n');
    }
    return d.hex();
  }

  /** The digest recorded in a manifest's first line, without reading the rest. */
  static Optional<String> digestOf(Path file) throws IOException {
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String first = r.readLine();
      return first != null && first.startsWith(HEADER)
          ? Optional.of(first.substring(HEADER.length()))
          : Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  static Map<String, ManifestEntry> read(Path file) throws IOException {
    byte[] data;
    try {
      data = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      return new HashMap<>();
    }
    Map<String, ManifestEntry> out = new HashMap<>(Math.max(16, data.length / 80));
    boolean[] damaged = {false};
    boolean whole =
        ManifestText.forEachLine(
            data,
            5,
            line -> {
              long mode = line.number(1, 8);
              long size = line.number(2, 10);
              long mtime = line.number(3, 10);
              if (mode < 0 || size < 0 || mtime < 0) {
                damaged[0] = true;
                return;
              }
              String path = line.path(4);
              out.put(path, new ManifestEntry(path, size, mtime, (int) mode, line.ascii(0)));
            });
    // A damaged manifest: send everything again rather than trust it.
    return whole && !damaged[0] ? out : new HashMap<>();
  }

  static void write(Path file, Collection<ManifestEntry> entries, String digest)
      throws IOException {
    ManifestBytes text = ManifestBytes.text(entries.size() + 1);
    text.text(HEADER).text(digest).ch('\n');
    for (ManifestEntry e : entries) {
      text.text(e.sha256())
          .ch('\t')
          .octal(e.mode())
          .ch('\t')
          .number(e.size())
          .ch('\t')
          .number(e.modifiedMillis())
          .ch('\t')
          .text(ManifestText.escape(e.path()))
          .ch('\n');
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, text.bytes());
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
