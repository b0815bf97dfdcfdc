package dev.runctl.targets.local;

import dev.runctl.engine.spi.FileSlice;
import dev.runctl.engine.spi.RemoteFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** File operations of the local machine: list, read, copy out, delete trees. */
final class LocalFiles {
  private LocalFiles() {}

  static List<RemoteFile> list(Path workdir, Path target) throws IOException {
    List<RemoteFile> out = new ArrayList<>();
    if (!Files.exists(target)) {
      return out;
    }
    Files.walkFileTree(
        target,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile()) {
              out.add(
                  new RemoteFile(
                      relative(workdir, file), attrs.size(), attrs.lastModifiedTime().toMillis()));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException exc) {
            return FileVisitResult.CONTINUE;
          }
        });
    out.sort(java.util.Comparator.comparing(RemoteFile::path));
    return out;
  }

  /**
   * At most {@code maxBytes} of {@code file} from {@code from} on, read in place; empty if absent.
   */
  static Optional<FileSlice> read(Path file, long from, long maxBytes) throws IOException {
    if (!file.toFile().isFile()) { // a stat, without the exception Files would make when missing
      return Optional.empty();
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long start = Math.max(0, from);
      long want = Math.min(Math.min(Integer.MAX_VALUE - 8, Math.max(0, maxBytes)), size - start);
      ByteBuffer buf = ByteBuffer.allocate((int) Math.max(0, want));
      while (buf.hasRemaining() && ch.read(buf, start + buf.position()) > 0) {
        // a short read: go on until the size seen
      }
      return Optional.of(new FileSlice(start, Arrays.copyOf(buf.array(), buf.position()), size));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Copies {@code source} (file or folder) into {@code destinationFolder}, keeping its name. */
  static void copyInto(Path source, Path destinationFolder) throws IOException {
    Path dest = destinationFolder.resolve(source.getFileName().toString());
    Files.createDirectories(destinationFolder);
    if (Files.isRegularFile(source)) {
      Files.copy(
          source, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
      return;
    }
    Files.walkFileTree(
        source,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.createDirectories(dest.resolve(source.relativize(dir).toString()));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (attrs.isRegularFile()) {
              Files.copy(
                  file,
                  dest.resolve(source.relativize(file).toString()),
                  StandardCopyOption.REPLACE_EXISTING,
                  StandardCopyOption.COPY_ATTRIBUTES);
            }
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Deletes a file or a folder with everything in it; nothing to do when it is missing. */
  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.deleteIfExists(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
            Files.deleteIfExists(dir);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  static String relative(Path workdir, Path file) {
    Path abs = file.toAbsolutePath().normalize();
    Path root = workdir.toAbsolutePath().normalize();
    return abs.startsWith(root)
        ? root.relativize(abs).toString().replace('\\', '/')
        : abs.toString();
  }
}
