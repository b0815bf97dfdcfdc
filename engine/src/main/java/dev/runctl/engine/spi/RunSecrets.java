package dev.runctl.engine.spi;

import java.util.List;
import java.util.Map;

/**
 * The spec's secrets as a target gets them for one run process: {@code values}, read where runctl
 * runs, by variable name (they are also in each command's environment, where the target must keep
 * them off its disks, buckets and command text); and {@code onMachine}, the secrets the target
 * fetches on its machine itself ({@link TargetProvider#fetchesOnMachine}), whose values runctl
 * never sees. {@link #toString} names the variables only.
 */
public record RunSecrets(Map<String, String> values, List<SecretRef> onMachine) {
  public static final RunSecrets NONE = new RunSecrets(Map.of(), List.of());

  public RunSecrets {
    values = Map.copyOf(values);
    onMachine = List.copyOf(onMachine);
  }

  public boolean isEmpty() {
    return values.isEmpty() && onMachine.isEmpty();
  }

  @Override
  public String toString() {
    return "RunSecrets[values="
        + new java.util.TreeSet<>(values.keySet())
        + ", onMachine="
        + onMachine.stream().map(SecretRef::describe).toList()
        + "]";
  }
}
