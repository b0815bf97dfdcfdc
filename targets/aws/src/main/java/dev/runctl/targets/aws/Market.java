package dev.runctl.targets.aws;

import java.util.Locale;
import java.util.Optional;

/** {@code market:}: how the instance is bought. */
public enum Market {
  ON_DEMAND,
  SPOT,
  /** Spot first; on-demand when spot has no capacity or the price is too low, and said so. */
  SPOT_OR_ON_DEMAND;

  public String yaml() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Market> fromYaml(String text) {
    for (Market m : values()) {
      if (m.yaml().equals(text)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
