package dev.runctl.cli.secrets;

import dev.runctl.engine.RunctlException;
import dev.runctl.engine.exec.SecretReader;
import dev.runctl.engine.plan.Plan;
import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spi.SecretRef;
import dev.runctl.engine.spi.SecretSource;
import java.util.HashMap;
import java.util.Map;

/**
 * The spec's secrets read up front, before a run folder is made or opened, so that one that cannot
 * be read stops apply with nothing made; the executor then takes the values from here. They stay in
 * this process's memory. A secret the plan's target fetches on its machine is not read here at all.
 */
public final class SecretValues {
  private SecretValues() {}

  public static SecretReader readAll(Registry registry, Plan plan) {
    Map<String, String> values = new HashMap<>();
    for (SecretRef ref : plan.job().secrets()) {
      if (!plan.targetProvider().fetchesOnMachine(ref)) {
        values.put(ref.name(), source(registry, ref).read(ref));
      }
    }
    return ref -> {
      String value = values.get(ref.name());
      if (value == null) {
        throw new IllegalStateException("secret " + ref.name() + " was not read up front");
      }
      return value;
    };
  }

  /** The source {@code ref} names. */
  public static SecretSource source(Registry registry, SecretRef ref) {
    return registry
        .secretSource(ref.source())
        .orElseThrow(
            () ->
                new RunctlException(
                    "secret " + ref.describe() + " names an unknown source",
                    "sources: "
                        + String.join(
                            ", ",
                            registry.secretSources().stream().map(SecretSource::name).toList())));
  }
}
