package dev.runctl.targets.local;

import dev.runctl.engine.spi.ManifestDigest;
import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.ManifestText;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
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
    ManifestDigest d = new ManifestDigest();
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
    Map<String, ManifestEntry> out = new HashMap<>();
    try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\t", 5);
        if (f.length == 5) {
          String path = ManifestText.unescape(f[4]);
          out.put(
              path,
              new ManifestEntry(
                  path,
                  Long.parseLong(f[2]),
                  Long.parseLong(f[3]),
                  Integer.parseInt(f[1], 8),
                  f[0]));
        }
      }
    } catch (NoSuchFileException e) {
      return out;
    } catch (NumberFormatException e) {
      // A damaged manifest: send everything again rather than trust it.
      return new HashMap<>();
    }
    return out;
  }

  static void write(Path file, Collection<ManifestEntry> entries, String digest)
      throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      w.write(HEADER + digest + "\n");
      for (ManifestEntry e : entries) {
        w.write(e.sha256());
        w.write('\t');
        w.write(Integer.toOctalString(e.mode()));
        w.write('\t');
        w.write(Long.toString(e.size()));
        w.write('\t');
        w.write(Long.toString(e.modifiedMillis()));
        w.write('\t');
        w.write(ManifestText.escape(e.path()));
        w.write('\n');
      }
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
