package dev.runctl.targets.aws;

import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.StepException;
import dev.runctl.engine.spi.SyncRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A first pull's shortcut past one GET per file: one zip, {@code runctl/runs/<run>/packs/<manifest
 * sha>.zip}, of the manifest and the small files, each under its sha256, written beside the blobs
 * while the instance boots ({@code sync.upload}). The pull ({@code remote/layout.py}) fetches it
 * with one GET, keeps each entry whose content matches its name, and fetches what it lacks from the
 * blobs. A file that changed since it was hashed is left out.
 */
final class BlobPack {
  /** Files above this size are left to the blobs. */
  static final long MAX_FILE = 1L << 20;

  /** The pack holds at most this much; the rest comes from the blobs. */
  static final long MAX_PACK = 64L << 20;

  /** Fewer small files than this: no pack (a few GETs cost less than the pack's upload). */
  static final int MIN_FILES = 50;

  private BlobPack() {}

  /**
   * Writes the pack of {@code request} unless the bucket is known to hold it; remembered in {@code
   * blobs}' list of known keys, which tells the sync to use it.
   */
  static void upload(
      S3Client s3, String bucket, BlobStore blobs, String runId, SyncRequest request) {
    byte[] manifest = Json.manifest(request.files());
    String sha = HexFormat.of().formatHex(BlobStore.sha256(manifest));
    String key = key(runId, sha);
    if (blobs.isKnown(key)) {
      return;
    }
    Optional<byte[]> pack;
    try {
      pack = build(request.localRoot(), request.files(), manifest, sha);
    } catch (IOException e) {
      // the pull fetches every blob instead
      request.progress().accept("no pack for the pull: " + e.getMessage());
      return;
    }
    if (pack.isEmpty()) {
      return;
    }
    try {
      AwsErrors.run(
          "upload the pack to s3://" + bucket,
          () -> s3.putObject(p -> p.bucket(bucket).key(key), RequestBody.fromBytes(pack.get())));
    } catch (StepException e) {
      // a shortcut only: the pull fetches every blob instead
      request.progress().accept("no pack for the pull: " + e.getMessage());
      return;
    }
    blobs.remember(Set.of(key));
    request
        .progress()
        .accept(
            String.format(
                "packed the small files for the pull: %.1f MB in s3://%s/%s",
                pack.get().length / 1e6, bucket, key));
  }

  static String key(String runId, String manifestSha) {
    return RemotePaths.runPrefix(runId) + "packs/" + manifestSha + ".zip";
  }

  /** The pack of {@code files} under {@code root}, or empty when they hold too few small files. */
  static Optional<byte[]> build(
      Path root, List<ManifestEntry> files, byte[] manifest, String manifestSha)
      throws IOException {
    List<ManifestEntry> small = files.stream().filter(f -> f.size() <= MAX_FILE).toList();
    if (small.size() < MIN_FILES) {
      return Optional.empty();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Set<String> added = new HashSet<>();
    long total = 0;
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.setLevel(Deflater.BEST_SPEED);
      add(zip, manifestSha, manifest);
      for (ManifestEntry f : small) {
        if (total + f.size() > MAX_PACK || !added.add(f.sha256())) {
          continue;
        }
        byte[] data;
        try {
          data = Files.readAllBytes(root.resolve(f.path()));
        } catch (NoSuchFileException e) {
          continue; // gone since it was hashed: the sync says so
        }
        if (HexFormat.of().formatHex(BlobStore.sha256(data)).equals(f.sha256())) {
          add(zip, f.sha256(), data);
          total += data.length;
        }
      }
    }
    return Optional.of(out.toByteArray());
  }

  private static void add(ZipOutputStream zip, String name, byte[] data) throws IOException {
    zip.putNextEntry(new ZipEntry(name));
    zip.write(data);
    zip.closeEntry();
  }
}
