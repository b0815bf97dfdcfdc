package dev.runctl.targets.slurm;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The files runctl reads and writes in the workdir on the cluster's shared filesystem: on this
 * machine ({@link HereFiles}) when runctl runs on the login node, or on the login node over ssh
 * ({@link SshFiles}). Paths are absolute on the machine that holds them.
 */
sealed interface ClusterFiles permits HereFiles, SshFiles {

  /** One file to write: its content, and whether only its owner may read it (mode 600). */
  record Write(String path, byte[] content, boolean secret, boolean executable) {}

  /** The home folder there, for {@code ~/} in the workdir. */
  String home() throws InterruptedException;

  /** Creates {@code dir} and its parents; false when it cannot. */
  boolean mkdirs(String dir) throws InterruptedException;

  boolean isDirectory(String dir) throws InterruptedException;

  /** Creates the folders and writes the files, all or (on an error) a StepException. */
  void write(String dir, List<Write> files) throws InterruptedException;

  /** The text of a small file; empty when it is not there. */
  Optional<String> read(String path) throws InterruptedException;

  /**
   * Up to {@code max} bytes of {@code path} from {@code offset}; when there are none yet, watches
   * it for up to {@code wait} (and stops watching once {@code stopWhen} exists).
   */
  byte[] readFrom(String path, long offset, int max, Duration wait, String stopWhen)
      throws InterruptedException;

  /** Appends {@code text} to {@code path}, creating it. */
  void append(String path, String text) throws InterruptedException;

  /** Removes the files; whether the first one was there. */
  boolean delete(List<String> paths) throws InterruptedException;

  /** A digest of a folder's file names, sizes and times ("absent" when it is missing). */
  String signature(String dir) throws InterruptedException;
}
