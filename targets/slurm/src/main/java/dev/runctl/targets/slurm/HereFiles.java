package dev.runctl.targets.slurm;

import dev.runctl.engine.spi.StepException;
import dev.runctl.targets.local.WatchSignature;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The workdir's files on this machine (runctl runs on the login node). */
final class HereFiles implements ClusterFiles {

  @Override
  public String home() {
    return System.getProperty("user.home");
  }

  @Override
  public boolean mkdirs(String dir) {
    try {
      Files.createDirectories(Path.of(dir));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public boolean isDirectory(String dir) {
    return Files.isDirectory(Path.of(dir));
  }

  @Override
  public void write(String dir, List<Write> files) {
    try {
      Files.createDirectories(Path.of(dir));
      for (Write w : files) {
        Path p = Path.of(w.path());
        Files.deleteIfExists(p);
        String mode = w.secret() ? "rw-------" : w.executable() ? "rwx------" : "rw-r--r--";
        Files.createFile(
            p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode)));
        try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.TRUNCATE_EXISTING)) {
          out.write(w.content());
        }
      }
    } catch (IOException e) {
      throw StepException.fatal(
          "cannot write the batch job's files into " + dir + ": " + e.getMessage(),
          "the workdir must be writable (and on a filesystem the compute nodes share)");
    }
  }

  @Override
  public Optional<String> read(String path) {
    try {
      return Optional.of(Files.readString(Path.of(path), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  @Override
  public byte[] readFrom(String path, long offset, int max, Duration wait, String stopWhen)
      throws InterruptedException {
    long until = System.nanoTime() + wait.toNanos();
    byte[] out = readNow(path, offset, max);
    while (out.length == 0 && System.nanoTime() < until && !Files.exists(Path.of(stopWhen))) {
      Thread.sleep(50);
      out = readNow(path, offset, max);
    }
    return out;
  }

  private static byte[] readNow(String path, long offset, int max) {
    try (RandomAccessFile f = new RandomAccessFile(path, "r")) {
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

  @Override
  public void append(String path, String text) {
    try {
      Files.writeString(
          Path.of(path),
          text,
          StandardCharsets.UTF_8,
          StandardOpenOption.APPEND,
          StandardOpenOption.CREATE);
    } catch (IOException e) {
      // a courtesy line: the journal has the facts
    }
  }

  @Override
  public boolean delete(List<String> paths) {
    boolean first = false;
    for (int i = 0; i < paths.size(); i++) {
      try {
        boolean gone = Files.deleteIfExists(Path.of(paths.get(i)));
        first = i == 0 ? gone : first;
      } catch (IOException e) {
        // left for the next clean-up
      }
    }
    return first;
  }

  @Override
  public String signature(String dir) {
    return WatchSignature.of(Path.of(dir));
  }
}
