package dev.runctl.engine.exec;

import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Masks secret values in text before it reaches a log, the journal or the terminal. The secrets are
 * the values of environment variables that the spec references through {@code ${{ env.X }}} (that
 * is how a token gets into a run). Values shorter than {@link #MIN_LENGTH} characters are not
 * masked, since masking "1" would garble every log.
 */
public final class SecretMasker {
  public static final int MIN_LENGTH = 4;
  public static final String MASK = "***";
  private final List<String> secrets = new CopyOnWriteArrayList<>();

  public void add(String value) {
    if (value != null && value.length() >= MIN_LENGTH && !secrets.contains(value)) {
      secrets.add(value);
      secrets.sort(Comparator.comparingInt(String::length).reversed());
    }
  }

  public void addAll(Set<String> values) {
    values.forEach(this::add);
  }

  /** The values masked, longest first. */
  public List<String> values() {
    return List.copyOf(secrets);
  }

  public boolean isEmpty() {
    return secrets.isEmpty();
  }

  public String mask(String text) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String out = text;
    for (String s : secrets) {
      if (out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }
}
