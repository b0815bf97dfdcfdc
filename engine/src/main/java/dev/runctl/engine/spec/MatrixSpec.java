package dev.runctl.engine.spec;

import dev.runctl.engine.spi.Position;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A spec's {@code matrix:} with {@code max_parallel} and {@code fail_fast}: a sweep. Values are the
 * scalars' text as written ({@code 0.001} stays {@code "0.001"}).
 *
 * <p>{@link #combinations()} follows GitHub Actions: the cartesian product of the axes (the first
 * key varies slowest), less every combination that matches all keys of an {@code exclude} entry,
 * then each {@code include} entry is added to every combination whose original values it does not
 * contradict (without overwriting them; values an earlier include added may be overwritten), or,
 * when it fits none, appended as a combination of its own.
 */
public record MatrixSpec(
    Map<String, List<String>> axes,
    List<Map<String, String>> include,
    List<Map<String, String>> exclude,
    int maxParallel,
    boolean failFast,
    Position position) {

  public static final int DEFAULT_MAX_PARALLEL = 4;

  public MatrixSpec {
    Map<String, List<String>> a = new LinkedHashMap<>();
    axes.forEach((k, v) -> a.put(k, List.copyOf(v)));
    axes = java.util.Collections.unmodifiableMap(a);
    include = include.stream().map(MatrixSpec::copy).toList();
    exclude = exclude.stream().map(MatrixSpec::copy).toList();
  }

  private static Map<String, String> copy(Map<String, String> m) {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /** Every name a step may read as {@code ${{ matrix.<name> }}}: the axes', then the includes'. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>(axes.keySet());
    include.forEach(e -> names.addAll(e.keySet()));
    return names;
  }

  /** The combinations, in order; each maps every name it has to its value. */
  public List<Map<String, String>> combinations() {
    List<Map<String, String>> product = new ArrayList<>();
    if (!axes.isEmpty()) {
      product.add(new LinkedHashMap<>());
      for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
        List<Map<String, String>> next = new ArrayList<>();
        for (Map<String, String> partial : product) {
          for (String value : axis.getValue()) {
            Map<String, String> c = new LinkedHashMap<>(partial);
            c.put(axis.getKey(), value);
            next.add(c);
          }
        }
        product = next;
      }
    }
    product.removeIf(c -> exclude.stream().anyMatch(e -> matches(c, e)));
    List<Map<String, String>> originals =
        product.stream().map(c -> (Map<String, String>) new LinkedHashMap<>(c)).toList();
    List<Map<String, String>> out = new ArrayList<>(product);
    for (Map<String, String> entry : include) {
      boolean added = false;
      for (int i = 0; i < originals.size(); i++) {
        if (fits(originals.get(i), entry)) {
          out.get(i).putAll(entry);
          added = true;
        }
      }
      if (!added) {
        out.add(new LinkedHashMap<>(entry));
      }
    }
    return out.stream().map(MatrixSpec::copy).toList();
  }

  /** Every key of {@code entry} has {@code c}'s value. */
  private static boolean matches(Map<String, String> c, Map<String, String> entry) {
    return entry.entrySet().stream().allMatch(e -> e.getValue().equals(c.get(e.getKey())));
  }

  /** No key of {@code entry} that is an original value of {@code original} differs from it. */
  private static boolean fits(Map<String, String> original, Map<String, String> entry) {
    return entry.entrySet().stream()
        .allMatch(
            e ->
                !original.containsKey(e.getKey()) || original.get(e.getKey()).equals(e.getValue()));
  }

  /** {@code lr=0.001 seed=1}: a combination in one line, keys in the matrix's order. */
  public static String describe(Map<String, String> combination) {
    StringBuilder b = new StringBuilder();
    combination.forEach((k, v) -> b.append(b.isEmpty() ? "" : " ").append(k).append('=').append(v));
    return b.toString();
  }
}
