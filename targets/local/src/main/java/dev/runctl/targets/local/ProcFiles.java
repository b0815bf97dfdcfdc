package dev.runctl.targets.local;

import dev.runctl.engine.state.AtomicFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The small text files of a detached process's folder ({@code handle}, {@code watch}, ...). */
final class ProcFiles {
  private ProcFiles() {}

  /** The file's text, trimmed. */
  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the file whole or not at all (a temporary file moved into place). */
  static void write(Path file, String text) {
    try {
      AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
