package dev.runctl.engine.testing;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.RemoteState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store of objects in memory with S3's semantics for what runctl uses: tags change with every
 * write, conditional writes hold atomically, listings are in key order. {@link #failNext} makes the
 * next calls fail as an unreachable store would; {@link #puts} counts the writes.
 */
public final class MemoryRemoteState implements RemoteState {
  private final Map<String, Blob> objects = new TreeMap<>();
  private final AtomicInteger tags = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final AtomicInteger puts = new AtomicInteger();

  /** The next {@code n} calls fail. */
  public MemoryRemoteState failNext(int n) {
    failures.set(n);
    return this;
  }

  public int puts() {
    return puts.get();
  }

  public synchronized Map<String, Blob> objects() {
    return new TreeMap<>(objects);
  }

  private void maybeFail(String key) {
    if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new RunctlException(
          ErrorCategory.STATE, "memory store: " + key + " is unreachable", "try again", null);
    }
  }

  @Override
  public synchronized String put(String key, byte[] data) {
    maybeFail(key);
    puts.incrementAndGet();
    Blob b = new Blob(data.clone(), "\"t" + tags.incrementAndGet() + "\"");
    objects.put(key, b);
    return b.etag();
  }

  @Override
  public synchronized Optional<Blob> get(String key) {
    maybeFail(key);
    return Optional.ofNullable(objects.get(key)).map(b -> new Blob(b.data().clone(), b.etag()));
  }

  @Override
  public synchronized boolean exists(String key) {
    maybeFail(key);
    return objects.containsKey(key);
  }

  @Override
  public synchronized List<Listed> list(String prefix) {
    maybeFail(prefix);
    List<Listed> out = new ArrayList<>();
    objects.forEach(
        (k, b) -> {
          if (k.startsWith(prefix)) {
            out.add(new Listed(k, b.data().length, b.etag()));
          }
        });
    return out;
  }

  @Override
  public synchronized List<String> folders(String prefix) {
    maybeFail(prefix);
    TreeSet<String> out = new TreeSet<>();
    for (String k : objects.keySet()) {
      if (k.startsWith(prefix) && k.indexOf('/', prefix.length()) > 0) {
        out.add(k.substring(prefix.length(), k.indexOf('/', prefix.length())));
      }
    }
    return new ArrayList<>(out);
  }

  @Override
  public synchronized Optional<String> create(String key, byte[] data) {
    maybeFail(key);
    if (objects.containsKey(key)) {
      return Optional.empty();
    }
    return Optional.of(put(key, data));
  }

  @Override
  public synchronized Optional<String> replace(String key, byte[] data, String etag) {
    maybeFail(key);
    Blob b = objects.get(key);
    if (b == null || !b.etag().equals(etag)) {
      return Optional.empty();
    }
    return Optional.of(put(key, data));
  }

  @Override
  public synchronized void delete(String key) {
    maybeFail(key);
    objects.remove(key);
  }

  @Override
  public void close() {}
}
