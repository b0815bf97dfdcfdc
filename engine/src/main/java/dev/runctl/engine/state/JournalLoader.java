package dev.runctl.engine.state;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a journal back. A crash can leave the last line torn (written in part); such a tail is
 * tolerated and, when {@code repair} is set, cut off so that appends continue on a clean line. A
 * bad line anywhere else means the file was damaged by something other than a crash, and is
 * reported with its line number.
 */
public final class JournalLoader {

  /** The records and, when a torn tail was found, a description of it. */
  public record Loaded(List<JournalRecord> records, Optional<String> tornTail) {}

  private JournalLoader() {}

  public static Loaded load(Path file, boolean repair) {
    byte[] bytes;
    try {
      bytes = Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot read the journal " + file + ": " + e.getMessage(),
          "check that the state folder is readable",
          e);
    }
    List<JournalRecord> records = new ArrayList<>();
    int start = 0;
    int lineNo = 0;
    long goodEnd = 0;
    Optional<String> torn = Optional.empty();
    while (start < bytes.length) {
      int nl = indexOf(bytes, (byte) '\n', start);
      lineNo++;
      boolean last = nl < 0 || nl == bytes.length - 1;
      String line =
          new String(bytes, start, (nl < 0 ? bytes.length : nl) - start, StandardCharsets.UTF_8);
      try {
        if (nl < 0) {
          throw new IllegalArgumentException("no line end");
        }
        if (!line.isBlank()) {
          records.add(JournalCodec.decode(line));
        }
        goodEnd = nl + 1L;
      } catch (RuntimeException e) {
        if (!last) {
          throw new RunctlException(
              ErrorCategory.STATE,
              file + ":" + lineNo + ": the journal is damaged (" + e.getMessage() + ")",
              "this is not a torn write from a crash; restore the file or start a new run",
              e);
        }
        torn = Optional.of("line " + lineNo + " (" + (bytes.length - start) + " bytes) was torn");
      }
      if (nl < 0) {
        break;
      }
      start = nl + 1;
    }
    if (torn.isPresent() && repair) {
      truncate(file, goodEnd);
    }
    return new Loaded(records, torn);
  }

  private static void truncate(Path file, long size) {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ch.truncate(size);
      ch.force(true);
    } catch (IOException e) {
      throw new RunctlException(
          ErrorCategory.STATE,
          "cannot repair the torn end of " + file + ": " + e.getMessage(),
          "check that the state folder is writable",
          e);
    }
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
