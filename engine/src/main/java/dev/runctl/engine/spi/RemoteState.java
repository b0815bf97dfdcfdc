package dev.runctl.engine.spi;

import java.util.List;
import java.util.Optional;

/**
 * An opened store of objects under one root (a bucket and prefix, say): the keys given here are
 * relative to that root. Every call is synchronous; a failure to reach or use the store is a {@code
 * RunctlException} of category STATE that names the store and the key. Conditional writes are what
 * the lock of a run is made of: {@link #create} and {@link #replace} answer empty, never throw,
 * when their condition does not hold.
 */
public interface RemoteState extends AutoCloseable {
  /** One object: its bytes and the tag its current content has. */
  record Blob(byte[] data, String etag) {}

  /** One listed object: key (relative to the root), size and tag. */
  record Listed(String key, long size, String etag) {}

  /** Writes {@code key} (a new object or a new content); answers the new tag. */
  String put(String key, byte[] data);

  /** The object, or empty when there is none. */
  Optional<Blob> get(String key);

  /** Whether {@code key} exists. */
  boolean exists(String key);

  /** Every object whose key starts with {@code prefix}, in key order. */
  List<Listed> list(String prefix);

  /**
   * The "folders" right under {@code prefix} (keys cut at the next {@code /} after it, without the
   * prefix and the slash), in order.
   */
  List<String> folders(String prefix);

  /** Writes {@code key} only if it does not exist (If-None-Match: *); its tag, or empty. */
  Optional<String> create(String key, byte[] data);

  /** Writes {@code key} only if its tag is still {@code etag} (If-Match); the new tag, or empty. */
  Optional<String> replace(String key, byte[] data, String etag);

  /** Removes {@code key}; nothing when it does not exist. */
  void delete(String key);

  @Override
  void close();
}
