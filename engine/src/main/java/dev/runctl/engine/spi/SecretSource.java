package dev.runctl.engine.spi;

/**
 * Where a secret of the spec's {@code secrets:} comes from: one key of a secret's mapping names its
 * source ({@code HF_TOKEN: {<name>: ...}}). The source declares the mapping's schema like a target
 * does (the mapping includes its own key) and reads the value on this machine. The engine hands the
 * value to steps as an environment variable and masks it everywhere it writes; a source never logs,
 * journals or prints it.
 */
public interface SecretSource {
  /** The key that selects this source in a secret's mapping. */
  String name();

  /** The schema of a secret's mapping when it names this source, its own key included. */
  SettingsSchema settings();

  /**
   * Reads the value of {@code ref}. A secret that does not exist or cannot be read is a {@code
   * RunctlException} of category {@code ENVIRONMENT} that names the secret and where it looked,
   * never a value.
   */
  String read(SecretRef ref);

  /**
   * The file on this machine that holds {@code ref}'s value, if the source reads one: {@code plan}
   * refuses a sync that would copy it to the machine (and, on a target that stages files, through a
   * bucket).
   */
  default java.util.Optional<java.nio.file.Path> localFile(SecretRef ref) {
    return java.util.Optional.empty();
  }

  /**
   * {@code runctl plan --check}: whether {@code ref} can be read here, said without its value. The
   * default reads it and drops the value; a failure is the message and hint {@link #read} gives.
   */
  default TargetCheck check(SecretRef ref) {
    try {
      read(ref);
      return TargetCheck.ok("secret " + ref.name(), ref.describe() + " can be read");
    } catch (dev.runctl.engine.RunctlException e) {
      return TargetCheck.failed(
          "secret " + ref.name(), e.getMessage(), e.hint().orElse("see docs/spec.md, Secrets"));
    }
  }
}
