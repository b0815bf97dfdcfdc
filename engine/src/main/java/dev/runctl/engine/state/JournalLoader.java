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
 * Reads a journal back. A crash can leave the last line torn (written in part, so without its line
 * end); such a tail is tolerated and, when {@code repair} is set, cut off so that appends continue
 * on a clean line. A complete record of a type this runctl does not know (a newer runctl wrote it)
 * is kept in the file, skipped and warned about. Any other bad line means the file was damaged by
 * something other than a crash: {@link JournalDamagedException}, with its line number.
 */
public final class JournalLoader {

  /**
   * The records; when a torn tail was found, a description of it; and warnings about lines that
   * were kept but not understood.
   */
  public record Loaded(
      List<JournalRecord> records, Optional<String> tornTail, List<String> warnings) {
    public Loaded {
      records = List.copyOf(records);
      warnings = List.copyOf(warnings);
    }
  }

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
    List<String> warnings = new ArrayList<>();
    int start = 0;
    int lineNo = 0;
    long goodEnd = 0;
    Optional<String> torn = Optional.empty();
    while (start < bytes.length) {
      int nl = indexOf(bytes, (byte) '\n', start);
      lineNo++;
      if (nl < 0) {
        // no line end: the write of this line did not finish (a crash, a full disk)
        torn = Optional.of("line " + lineNo + " (" + (bytes.length - start) + " bytes) was torn");
        break;
      }
      String line = new String(bytes, start, nl - start, StandardCharsets.UTF_8);
      try {
        if (!line.isBlank()) {
          records.add(JournalCodec.decode(line));
        }
      } catch (JournalCodec.UnknownType e) {
        warnings.add(
            file
                + ":"
                + lineNo
                + ": a record of type '"
                + e.type()
                + "', which this runctl does not know, was skipped (a newer runctl wrote it?)");
      } catch (RuntimeException e) {
        throw new JournalDamagedException(file, lineNo, e.getMessage());
      }
      goodEnd = nl + 1L;
      start = nl + 1;
    }
    if (torn.isPresent() && repair) {
      truncate(file, goodEnd);
    }
    return new Loaded(records, torn, warnings);
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
