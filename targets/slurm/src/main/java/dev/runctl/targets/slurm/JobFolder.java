package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.StepException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One attempt's batch job folder on the shared filesystem, {@code <workdir>/.runctl/jobs/<key>}:
 * the batch script, the command ({@code argv}) and its environment ({@code env}, mode 600), both
 * NUL-separated so that no shell ever splits them, the job's output ({@code out}, appended to by
 * every segment and requeue) and the exit code the batch script records ({@code exit}).
 */
final class JobFolder {
  static final String JOBS = ".runctl/jobs";
  private final Path dir;

  JobFolder(Path workdir, String key) {
    this.dir = workdir.resolve(JOBS).resolve(key);
  }

  Path dir() {
    return dir;
  }

  Path script() {
    return dir.resolve("batch.sh");
  }

  Path output() {
    return dir.resolve("out");
  }

  Path env() {
    return dir.resolve("env");
  }

  /** Writes the batch script, the command and its environment (the latter readable by us only). */
  void write(
      List<String> argv,
      Map<String, String> env,
      List<String> secrets,
      java.util.Optional<String> watchPath) {
    try {
      Files.createDirectories(dir);
      try (InputStream in = JobFolder.class.getResourceAsStream("batch.sh")) {
        Files.copy(in, script(), StandardCopyOption.REPLACE_EXISTING);
      }
      Files.setPosixFilePermissions(script(), PosixFilePermissions.fromString("rwx------"));
      Files.write(dir.resolve("argv"), nulSeparated(argv));
      Files.writeString(dir.resolve("watch"), watchPath.orElse(""), StandardCharsets.UTF_8);
      writePrivate(
          env(), env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
      writePrivate(dir.resolve("mask"), secrets.stream().filter(s -> !s.isEmpty()).toList());
      Files.deleteIfExists(dir.resolve("exit"));
      if (!Files.exists(output())) {
        Files.createFile(output());
      }
    } catch (IOException e) {
      throw StepException.fatal(
          "cannot write the batch job's files into " + dir + ": " + e.getMessage(),
          "the workdir must be writable (and on a filesystem the compute nodes share)");
    }
  }

  /** The folder whose changes count as progress (the checkpoints), as the attempt named it. */
  java.util.Optional<String> watchPath() {
    try {
      String p = Files.readString(dir.resolve("watch"), StandardCharsets.UTF_8).strip();
      return p.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(p);
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  /** The exit code the batch script recorded for job {@code jobId}; empty when it has not. */
  OptionalInt exitCodeOf(String jobId) {
    try {
      String[] f = Files.readString(dir.resolve("exit"), StandardCharsets.UTF_8).trim().split(" ");
      return f.length == 3 && f[0].equals(jobId)
          ? OptionalInt.of(Integer.parseInt(f[2]))
          : OptionalInt.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /** Up to {@code max} bytes of the job's output from {@code offset}; empty when none. */
  byte[] readOutput(long offset, int max) {
    try (RandomAccessFile f = new RandomAccessFile(output().toFile(), "r")) {
      long available = f.length() - offset;
      if (available <= 0) {
        return new byte[0];
      }
      byte[] buf = new byte[(int) Math.min(max, available)];
      f.seek(offset);
      f.readFully(buf);
      return buf;
    } catch (IOException e) {
      return new byte[0];
    }
  }

  /** Appends one line of runctl's own to the job's output, so that it reaches the step log. */
  void narrate(String line) {
    try {
      Files.writeString(
          output(),
          "[runctl] " + line + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND,
          StandardOpenOption.CREATE);
    } catch (IOException e) {
      // the narration is a courtesy; the journal has the facts
    }
  }

  /** Removes the environment file (it may hold secrets) once the job no longer needs it. */
  boolean removeEnv() {
    try {
      Files.deleteIfExists(dir.resolve("mask"));
      return Files.deleteIfExists(env());
    } catch (IOException e) {
      return false;
    }
  }

  /** Writes {@code items} NUL-separated into a file only we can read. */
  private static void writePrivate(Path file, List<String> items) throws IOException {
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
      out.write(nulSeparated(items));
    }
  }

  private static byte[] nulSeparated(List<String> items) {
    StringBuilder b = new StringBuilder();
    for (String s : items) {
      if (s.indexOf('\0') >= 0) {
        throw StepException.fatal(
            "an argument or environment value holds a NUL character", "remove it from the spec");
      }
      b.append(s).append('\0');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }
}
