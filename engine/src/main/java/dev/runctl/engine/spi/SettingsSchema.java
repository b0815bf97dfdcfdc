package dev.runctl.engine.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a step type ({@code with:}) or a target provider ({@code target:}) declares about its
 * settings: a JSON Schema (draft 2020-12) object for the mapping, with a {@code description} for
 * each key so that editors can show it, and hints that turn the validator's errors into plain
 * messages. The engine composes the job schema from its own core and every registered declaration,
 * checks specs against it before it asks the owner to {@code configure}, and names no key of its
 * own.
 *
 * <p>The schema is JSON text, so a declaration loads no library. Numeric bounds ({@code minimum},
 * {@code exclusiveMinimum}, {@code maximum}) on the mapping's own keys are checked by the engine in
 * code (the validator's checks of them are slow to start); an {@code enum} of strings is fine.
 *
 * @param json the schema of the mapping: {@code {"type": "object", "properties": {...}}}; a
 *     target's schema leaves out {@code provider}, which the engine adds
 * @param required for a step type: whether a step of this type must have {@code with:}
 * @param hints messages for missing keys, malformed values, and rules of the mapping as a whole
 */
public record SettingsSchema(String json, boolean required, List<Hint> hints) {

  /** A mapping with any keys: the default for owners that declare nothing. */
  public static final SettingsSchema OPEN = of("{\"type\": \"object\"}");

  public static SettingsSchema of(String json) {
    return new SettingsSchema(json, false, List.of());
  }

  public SettingsSchema {
    hints = List.copyOf(hints);
  }

  /** A hint for one key or for the mapping as a whole. */
  public sealed interface Hint {}

  /** The hint shown when required {@code key} is missing, e.g. {@code "e.g. region: us-east-1"}. */
  public record Missing(String key, String hint) implements Hint {}

  /**
   * The message for a value of {@code key} that does not match its {@code pattern}: {@code message}
   * with {@code %s} standing for the value, e.g. {@code "'%s' is not an AWS region"}.
   */
  public record Malformed(String key, String message, String hint) implements Hint {}

  /**
   * The message for a failed keyword of the mapping itself ({@code minProperties}, {@code not}),
   * e.g. "a verify step needs 'files' or 'metrics'".
   */
  public record Broken(String keyword, String message, String hint) implements Hint {}

  /** This declaration, with {@code with:} required (step types). */
  public SettingsSchema requiredMapping() {
    return new SettingsSchema(json, true, hints);
  }

  public SettingsSchema whenMissing(String key, String hint) {
    return plus(new Missing(key, hint));
  }

  public SettingsSchema whenMalformed(String key, String message, String hint) {
    return plus(new Malformed(key, message, hint));
  }

  public SettingsSchema whenBroken(String keyword, String message, String hint) {
    return plus(new Broken(keyword, message, hint));
  }

  public Optional<Missing> missing(String key) {
    return find(Missing.class).stream().filter(h -> h.key().equals(key)).findFirst();
  }

  public Optional<Malformed> malformed(String key) {
    return find(Malformed.class).stream().filter(h -> h.key().equals(key)).findFirst();
  }

  public Optional<Broken> broken(String keyword) {
    return find(Broken.class).stream().filter(h -> h.keyword().equals(keyword)).findFirst();
  }

  private <T extends Hint> List<T> find(Class<T> kind) {
    return hints.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  private SettingsSchema plus(Hint hint) {
    List<Hint> more = new ArrayList<>(hints);
    more.add(hint);
    return new SettingsSchema(json, required, more);
  }
}
