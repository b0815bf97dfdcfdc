package dev.runctl.targets.aws.support;

import dev.runctl.engine.spi.ManifestEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Manifest entries of a local folder, as the sync step builds them. */
public final class Trees {
  private Trees() {}

  public static List<ManifestEntry> manifest(Path root) throws Exception {
    List<ManifestEntry> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        String rel = root.relativize(p).toString().replace('\\', '/');
        byte[] data = Files.readAllBytes(p);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        out.add(
            new ManifestEntry(
                rel, data.length, Files.getLastModifiedTime(p).toMillis(), mode(p), sha));
      }
    }
    return out;
  }

  static int mode(Path p) throws IOException {
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
    int mode = 0;
    for (PosixFilePermission perm : PosixFilePermission.values()) {
      if (perms.contains(perm)) {
        mode |= 1 << (8 - perm.ordinal());
      }
    }
    return mode;
  }
}
