package dev.runctl.engine.spi;

import java.util.Optional;

/**
 * A store that keeps runs besides the local state folder (the spec's {@code state: {backend:
 * <name>, ...}}), so that runctl on another machine can see and take over a run. The backend is a
 * plain store of objects with conditional writes ({@link RemoteState}); how runs are laid out in
 * it, shipped, read back and locked is the engine's. A backend registered by the CLI declares the
 * keys of its {@code state:} mapping like a target does ({@code backend} and {@code lease} are the
 * engine's) and must load nothing heavy until {@link #open}.
 */
public interface StateBackend {
  /** The name in {@code state: {backend: <name>}} and the scheme of {@code RUNCTL_STATE}. */
  String name();

  /** The schema of the {@code state:} mapping's own keys when {@code backend} names this one. */
  SettingsSchema settings();

  /**
   * The settings of a {@code RUNCTL_STATE} value of this backend's scheme ({@code <name>://...}),
   * or a {@code RunctlException} (category USAGE) that shows the form.
   */
  StateRef parse(String uri);

  /** Opens the store (the connection, not the runs: nothing is read yet). */
  RemoteState open(StateRef ref);

  /** A short name of the store for messages, e.g. {@code <name>://<where>/<prefix>}. */
  String describe(StateRef ref);

  /** Whether {@code uri} is of this backend's scheme. */
  default boolean accepts(String uri) {
    return uri.startsWith(name() + "://");
  }

  /** The backend registered under {@code name}, among {@code all}. */
  static Optional<StateBackend> named(Iterable<StateBackend> all, String name) {
    for (StateBackend b : all) {
      if (b.name().equals(name)) {
        return Optional.of(b);
      }
    }
    return Optional.empty();
  }
}
