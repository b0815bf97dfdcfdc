package dev.runctl.cli.secrets;

import dev.runctl.engine.RunctlException;
import dev.runctl.engine.exec.SecretReader;
import dev.runctl.engine.registry.Registry;
import dev.runctl.engine.spi.SecretRef;
import dev.runctl.engine.spi.SecretSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The spec's secrets read up front, before a run folder is made or opened, so that one that cannot
 * be read stops apply with nothing made; the executor then takes the values from here. They stay in
 * this process's memory.
 */
public final class SecretValues {
  private SecretValues() {}

  public static SecretReader readAll(Registry registry, List<SecretRef> refs) {
    Map<String, String> values = new HashMap<>();
    for (SecretRef ref : refs) {
      SecretSource source =
          registry
              .secretSource(ref.source())
              .orElseThrow(
                  () ->
                      new RunctlException(
                          "secret " + ref.describe() + " names an unknown source",
                          "sources: "
                              + String.join(
                                  ", ",
                                  registry.secretSources().stream()
                                      .map(SecretSource::name)
                                      .toList())));
      values.put(ref.name(), source.read(ref));
    }
    return ref -> {
      String value = values.get(ref.name());
      if (value == null) {
        throw new IllegalStateException("secret " + ref.name() + " was not read up front");
      }
      return value;
    };
  }
}
