package dev.runctl.targets.aws;

import java.util.Locale;
import java.util.Optional;

/** {@code order:}: how the launch candidates are tried. */
enum Order {
  /** Types in the order written, and for each type the subnets or zones in the order written. */
  GIVEN,
  /** The cheapest first (the current spot price for spot, the list price for on-demand). */
  PRICE;

  String yaml() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Optional<Order> fromYaml(String text) {
    for (Order o : values()) {
      if (o.yaml().equals(text)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }
}
