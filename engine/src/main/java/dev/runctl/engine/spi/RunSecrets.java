package dev.runctl.engine.spi;

import java.util.List;
import java.util.Map;

/**
 * The spec's secrets as a target gets them for one run process: {@code values}, read where runctl
 * runs, by variable name (they are also in each command's environment, where the target must keep
 * them off its disks, buckets and command text); and {@code onMachine}, the secrets the target
 * fetches on its machine itself ({@link TargetProvider#fetchesOnMachine}), whose values runctl
 * never sees; {@code masked}, every value runctl masks (those secrets' values and the values of the
 * variables the spec's {@code ${{ env.X }}} reads on this machine), which a command's environment
 * may also carry inside a longer value: a target keeps a variable that holds one off its disks,
 * buckets and command text as it does a secret. {@link #toString} names the variables only.
 */
public record RunSecrets(
    Map<String, String> values, List<SecretRef> onMachine, List<String> masked) {
  public static final RunSecrets NONE = new RunSecrets(Map.of(), List.of());

  public RunSecrets {
    values = Map.copyOf(values);
    onMachine = List.copyOf(onMachine);
    masked = List.copyOf(masked);
  }

  /** The secrets alone: {@code masked} is their values. */
  public RunSecrets(Map<String, String> values, List<SecretRef> onMachine) {
    this(values, onMachine, List.copyOf(values.values()));
  }

  /** Whether {@code text} holds a secret or a value from the environment of runctl's machine. */
  public boolean holdsMasked(String text) {
    for (String m : masked) {
      if (!m.isEmpty() && text.contains(m)) {
        return true;
      }
    }
    return false;
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
