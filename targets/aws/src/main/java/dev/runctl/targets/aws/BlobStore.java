package dev.runctl.targets.aws;

import dev.runctl.engine.spi.ManifestEntry;
import dev.runctl.engine.spi.StepException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Content-addressed blobs in {@code s3://bucket/runctl/blobs/<sha256>}. A local list of hashes
 * known to be in the bucket (under the cache folder) lets an unchanged re-sync skip listing the
 * bucket: it is checked with one HEAD of a sampled blob, and dropped when that blob is gone.
 */
final class BlobStore {
  static final long MULTIPART_THRESHOLD = 16L << 20;
  private static final long PART_SIZE = 16L << 20;
  private static final int THREADS = 8;

  private final S3Client s3;
  private final String bucket;
  private final Path knownFile;
  private final Set<String> known = new HashSet<>();
  private CompletableFuture<Set<String>> listing;

  /** What an upload pass did. */
  record Uploaded(int files, long bytes) {}

  BlobStore(S3Client s3, String bucket, Path cacheDir) {
    this.s3 = s3;
    this.bucket = bucket;
    this.knownFile = cacheDir.resolve("aws").resolve(RemotePaths.safeName(bucket)).resolve("known");
    try {
      if (Files.exists(knownFile)) {
        known.addAll(Files.readAllLines(knownFile, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      known.clear(); // a broken cache only costs a listing
    }
  }

  /**
   * Uploads the blobs of {@code files} that the bucket lacks; returns what was sent. One pass at a
   * time: a second (a later sync's upload, run beside the first) finds what the first sent.
   */
  synchronized Uploaded ensure(Path root, List<ManifestEntry> files, Consumer<String> progress)
      throws InterruptedException {
    List<ManifestEntry> unique = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (ManifestEntry e : files) {
      if (seen.add(e.sha256())) {
        unique.add(e);
      }
    }
    List<ManifestEntry> todo = unique.stream().filter(e -> !known.contains(e.sha256())).toList();
    if (todo.isEmpty() && !unique.isEmpty() && !sampleStillThere(unique)) {
      forget();
      todo = unique;
    }
    if (todo.isEmpty()) {
      return new Uploaded(0, 0);
    }
    Set<String> present = prefetched().orElseGet(this::listPresent);
    remember(present);
    List<ManifestEntry> missing = todo.stream().filter(e -> !present.contains(e.sha256())).toList();
    return upload(root, missing, progress);
  }

  /**
   * When the cache knows no blob of the bucket, lists the bucket's blobs now (in the calling
   * thread, without holding this store), for the next {@link #ensure} to use instead of listing
   * again: the listing of a first sync then overlaps the hashing of the workdir.
   */
  void prefetch() {
    CompletableFuture<Set<String>> f;
    synchronized (this) {
      if (!known.isEmpty() || listing != null) {
        return;
      }
      f = new CompletableFuture<>();
      listing = f;
    }
    try {
      f.complete(listPresent());
    } catch (RuntimeException e) {
      f.completeExceptionally(e);
    }
  }

  /** The listing {@link #prefetch} made (waiting for it), once; none when it failed. */
  private Optional<Set<String>> prefetched() throws InterruptedException {
    CompletableFuture<Set<String>> f = listing;
    listing = null;
    if (f == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(f.get());
    } catch (ExecutionException e) {
      return Optional.empty(); // listed again, which reports the failure
    }
  }

  /** Forgets what the cache says (a blob was found missing on the instance's side). */
  synchronized void forget() {
    listing = null;
    known.clear();
    try {
      Files.deleteIfExists(knownFile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized boolean isKnown(String key) {
    return known.contains(key);
  }

  synchronized void remember(Set<String> keys) {
    Set<String> fresh = new HashSet<>(keys);
    fresh.removeAll(known);
    if (fresh.isEmpty()) {
      return;
    }
    known.addAll(fresh);
    try {
      Files.createDirectories(knownFile.getParent());
      Files.write(
          knownFile,
          (String.join("\n", fresh) + "\n").getBytes(StandardCharsets.UTF_8),
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean sampleStillThere(List<ManifestEntry> unique) {
    String sha = unique.get((int) (System.nanoTime() % unique.size())).sha256();
    try {
      s3.headObject(h -> h.bucket(bucket).key(RemotePaths.blobPrefix() + sha));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw AwsErrors.translate("check s3://" + bucket + "/" + RemotePaths.blobPrefix(), e);
    } catch (SdkException e) {
      throw AwsErrors.translate("check s3://" + bucket + "/" + RemotePaths.blobPrefix(), e);
    }
  }

  private Set<String> listPresent() {
    Set<String> present = new HashSet<>();
    String prefix = RemotePaths.blobPrefix();
    AwsErrors.run(
        "list s3://" + bucket + "/" + prefix,
        () ->
            s3.listObjectsV2Paginator(l -> l.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .forEach(k -> present.add(k.substring(prefix.length()))));
    return present;
  }

  private Uploaded upload(Path root, List<ManifestEntry> missing, Consumer<String> progress)
      throws InterruptedException {
    AtomicInteger done = new AtomicInteger();
    AtomicLong bytes = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (ManifestEntry e : missing) {
        futures.add(
            pool.submit(
                () -> {
                  uploadOne(root, e);
                  long b = bytes.addAndGet(e.size());
                  int n = done.incrementAndGet();
                  if (n % 200 == 0 || n == missing.size()) {
                    progress.accept(
                        "uploaded " + n + "/" + missing.size() + " files (" + b / 1024 + " KiB)");
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (ExecutionException ex) {
          if (ex.getCause() instanceof RuntimeException re) {
            throw re;
          }
          throw StepException.transientError(
              "Cannot read a file of the workdir while syncing: " + ex.getCause().getMessage(),
              "check the file's permissions; sync runs again on retry",
              ex.getCause());
        }
      }
    } finally {
      pool.shutdownNow();
    }
    remember(new HashSet<>(missing.stream().map(ManifestEntry::sha256).toList()));
    return new Uploaded(done.get(), bytes.get());
  }

  private void uploadOne(Path root, ManifestEntry e) throws IOException {
    Path file = root.resolve(e.path());
    String key = RemotePaths.blobPrefix() + e.sha256();
    if (Files.size(file) <= MULTIPART_THRESHOLD) {
      byte[] data = Files.readAllBytes(file);
      byte[] digest = sha256(data);
      requireSame(e, digest);
      AwsErrors.run(
          "upload " + e.path() + " to s3://" + bucket,
          () ->
              s3.putObject(
                  p -> p.bucket(bucket).key(key).checksumSHA256(b64(digest)),
                  RequestBody.fromBytes(data)));
      return;
    }
    requireSame(e, sha256(file));
    String uploadId =
        AwsErrors.call(
                "start upload of " + e.path(),
                () -> s3.createMultipartUpload(c -> c.bucket(bucket).key(key)))
            .uploadId();
    List<CompletedPart> parts = new ArrayList<>();
    try (InputStream in = Files.newInputStream(file)) {
      int number = 1;
      while (true) {
        byte[] chunk = in.readNBytes((int) PART_SIZE);
        if (chunk.length == 0) {
          break;
        }
        int n = number++;
        String etag =
            AwsErrors.call(
                    "upload part " + n + " of " + e.path(),
                    () ->
                        s3.uploadPart(
                            u -> u.bucket(bucket).key(key).uploadId(uploadId).partNumber(n),
                            RequestBody.fromBytes(chunk)))
                .eTag();
        parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
      }
      AwsErrors.run(
          "finish upload of " + e.path(),
          () ->
              s3.completeMultipartUpload(
                  c ->
                      c.bucket(bucket)
                          .key(key)
                          .uploadId(uploadId)
                          .multipartUpload(m -> m.parts(parts))));
    } catch (RuntimeException | IOException ex) {
      try {
        s3.abortMultipartUpload(a -> a.bucket(bucket).key(key).uploadId(uploadId));
      } catch (SdkException ignored) {
        // the bucket's lifecycle rule for incomplete uploads cleans up (docs/aws.md)
      }
      throw ex;
    }
  }

  private static void requireSame(ManifestEntry e, byte[] digest) {
    if (!HexFormat.of().formatHex(digest).equals(e.sha256())) {
      throw StepException.transientError(
          e.path() + " changed while it was being synced",
          "sync runs again and picks up the new content",
          null);
    }
  }

  static byte[] sha256(byte[] data) {
    return digest().digest(data);
  }

  static byte[] sha256(Path file) throws IOException {
    MessageDigest md = digest();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
    }
    return md.digest();
  }

  private static MessageDigest digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }
}
