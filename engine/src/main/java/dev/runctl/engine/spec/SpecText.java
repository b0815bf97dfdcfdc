package dev.runctl.engine.spec;

import dev.runctl.engine.spi.Diagnostic;
import dev.runctl.engine.spi.Position;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a spec file as UTF-8 text, refusing what cannot be a spec before any parser sees it: a
 * missing or unreadable file, a folder, a named pipe (FIFO), a file over {@link #MAX_BYTES}, binary
 * content. A descriptor already open, as the shell passes {@code <(generate)} ({@code /dev/fd/63})
 * or {@code /dev/stdin}, is read like a file.
 */
final class SpecText {
  /** A job spec is a page or two of YAML; 1 MiB leaves room for generated ones. */
  static final int MAX_BYTES = 1 << 20;

  private SpecText() {}

  /** The result of reading: text, or the one diagnostic that stopped it. */
  sealed interface Read permits Text, Refused {}

  record Text(String text) implements Read {}

  record Refused(Diagnostic diagnostic) implements Read {}

  static Read read(Path file, String display) {
    Position start = new Position(display, 1, 1);
    if (Files.isDirectory(file)) {
      return refuse(start, "is a folder", "name a .yaml file, e.g. job.yaml");
    }
    if (namedPipe(file)) {
      return refuse(
          start,
          "is a named pipe (FIFO): reading it would wait for a writer, maybe forever",
          "name the job's .yaml file; to pass generated text, use the shell's `<(generate)`");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (NoSuchFileException e) {
      return refuse(
          start, "does not exist", "check the path; it is relative to the current folder");
    } catch (IOException e) {
      return refuse(start, "cannot be read: " + e.getMessage(), "check the file's permissions");
    }
    if (bytes.length > MAX_BYTES) {
      return refuse(
          start,
          "is larger than " + (MAX_BYTES >> 20) + " MiB; a job spec is a small YAML file",
          "check that this is the spec you meant");
    }
    return decode(bytes, display);
  }

  /** S_IFMT and S_IFIFO of {@code unix:mode}. */
  private static final int TYPE_BITS = 0170000;

  private static final int FIFO = 0010000;

  /**
   * A FIFO named in the file system, which {@code open} blocks on until some process opens it for
   * writing. A descriptor this process already has open ({@code /dev/fd/N}, {@code
   * /proc/self/fd/N}, {@code /dev/stdin}: how the shell passes {@code <(generate)}) is not one,
   * whatever it reads from: its writer is there already.
   */
  static boolean namedPipe(Path file) {
    if (!file.getFileSystem().supportedFileAttributeViews().contains("unix")) {
      return false; // no unix view: no FIFO to wait for
    }
    int mode;
    try {
      mode = (Integer) Files.getAttribute(file, "unix:mode");
    } catch (IOException e) {
      return false; // not there: said below
    }
    if ((mode & TYPE_BITS) != FIFO) {
      return false;
    }
    Path p = file.toAbsolutePath();
    for (int hops = 0; hops < 16; hops++) {
      if (p.getParent() != null && DESCRIPTORS.contains(p.getParent().toString())) {
        return false;
      }
      if (!Files.isSymbolicLink(p)) {
        return true;
      }
      try {
        Path target = Files.readSymbolicLink(p);
        if (target.toString().startsWith("pipe:[")) {
          return false;
        }
        p = p.resolveSibling(target).normalize();
      } catch (IOException e) {
        return true;
      }
    }
    return true;
  }

  /** The folders whose entries are this process's open descriptors. */
  private static final java.util.Set<String> DESCRIPTORS =
      java.util.Set.of("/dev/fd", "/proc/self/fd", "/proc/thread-self/fd");

  static Read decode(byte[] bytes, String display) {
    int from = hasBom(bytes) ? 3 : 0;
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return refuse(
            at(bytes, from, i, display),
            "is binary, not YAML text (a NUL byte)",
            "name the job's .yaml file");
      }
    }
    CharsetDecoder utf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, from, bytes.length - from);
    try {
      return new Text(utf8.decode(in).toString());
    } catch (CharacterCodingException e) {
      return refuse(
          at(bytes, from, in.position(), display),
          "is not UTF-8 text",
          "save the spec as UTF-8; binary files are not specs");
    }
  }

  private static boolean hasBom(byte[] b) {
    return b.length >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf;
  }

  /** The line and column of byte {@code offset}, counting columns in bytes (good enough here). */
  private static Position at(byte[] bytes, int from, int offset, String display) {
    int line = 1;
    int col = 1;
    for (int i = from; i < offset && i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new Position(display, line, col);
  }

  private static Read refuse(Position at, String what, String hint) {
    return new Refused(Diagnostic.error(at, "the spec file " + what, hint));
  }
}
