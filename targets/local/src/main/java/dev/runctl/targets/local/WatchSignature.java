package dev.runctl.targets.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A short digest of a folder's file names, sizes and modification times; "absent" if missing. */
public final class WatchSignature {
  private WatchSignature() {}

  public static String of(Path folder) {
    if (!Files.isDirectory(folder)) {
      return "absent";
    }
    TreeMap<String, String> entries = new TreeMap<>();
    try (Stream<Path> files = Files.walk(folder)) {
      files.forEach(
          p -> {
            try {
              BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
              if (a.isRegularFile()) {
                entries.put(
                    folder.relativize(p).toString(),
                    a.size() + ":" + a.lastModifiedTime().toMillis());
              }
            } catch (IOException e) {
              // a file replaced while we look: the next look sees the new one
            }
          });
    } catch (IOException | java.io.UncheckedIOException e) {
      return "unreadable";
    }
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      entries.forEach((k, v) -> md.update((k + "\t" + v + "\n").getBytes(StandardCharsets.UTF_8)));
      return HexFormat.of().formatHex(md.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
