package dev.runctl.targets.aws;

import dev.runctl.engine.spi.RunSecrets;
import dev.runctl.engine.spi.SecretRef;
import dev.runctl.engine.spi.StepException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;

/**
 * How the run's secrets reach one command on an instance. The AWS-held ones ({@code aws_secret},
 * {@code aws_parameter}) are fetched there through the instance's role ({@code remote/secrets.py});
 * the ones runctl read ({@code env}, {@code file}) wait in the {@link SecretVault} and are fetched
 * from it the same way, as do the command's variables that hold a value of runctl's environment
 * ({@code ${{ env.X }}}, {@link RunSecrets#masked}). What travels in the command's text is the list
 * of names and where each lives, never a value; the environment object in the bucket holds none of
 * them. A variable the spec's {@code env:} sets to something else is left to the environment, as on
 * every target.
 */
final class InstanceSecrets {
  private final RunSecrets secrets;
  private final SecretVault vault;
  private final String runId;
  private final String region;

  /**
   * {@code env}: the command's environment less the secrets; {@code fetch}: JSON for secrets.py.
   */
  record Delivery(Map<String, String> env, String fetch, List<String> names) {
    boolean none() {
      return names.isEmpty();
    }
  }

  InstanceSecrets(RunSecrets secrets, SecretVault vault, String runId, String region) {
    this.secrets = secrets;
    this.vault = vault;
    this.runId = runId;
    this.region = region;
  }

  Delivery deliver(Map<String, String> env) {
    Map<String, String> plain = new LinkedHashMap<>(env);
    List<String> fromVault = new ArrayList<>();
    List<String> carrying = new ArrayList<>();
    env.forEach(
        (name, value) -> {
          if (value.equals(secrets.values().get(name))) {
            plain.remove(name);
            fromVault.add(name);
          } else if (secrets.holdsMasked(value)) {
            plain.remove(name);
            carrying.add(name);
          }
        });
    List<SecretRef> fetched =
        secrets.onMachine().stream().filter(r -> !env.containsKey(r.name())).toList();
    if (fromVault.isEmpty() && carrying.isEmpty() && fetched.isEmpty()) {
      return new Delivery(plain, "", List.of());
    }
    Map<String, Integer> parts = fromVault.isEmpty() ? Map.of() : vault.store();
    List<String> names = new ArrayList<>();
    StringWriter out = new StringWriter();
    try (JsonGenerator g = dev.runctl.engine.json.Json.generator(out)) {
      g.writeStartArray();
      for (String name : fromVault) {
        kept(g, name, SecretVault.path(runId) + name, parts.get(name));
        names.add(name);
      }
      for (String name : carrying) {
        SecretVault.Slot slot = vault.store(env.get(name));
        kept(g, name, slot.path(), slot.parts());
        names.add(name);
      }
      for (SecretRef ref : fetched) {
        g.writeStartObject();
        g.writeStringProperty("name", Shell.name(ref.name()));
        g.writeStringProperty("kind", ref.source());
        g.writeStringProperty("id", ref.locator());
        if (ref.settings().containsKey("key")) {
          g.writeStringProperty("key", ref.settings().get("key"));
        }
        g.writeStringProperty("region", regionOf(ref, region));
        g.writeEndObject();
        names.add(ref.name());
      }
      g.writeEndArray();
    }
    return new Delivery(plain, out.toString(), names);
  }

  /** One value runctl kept in the {@link SecretVault}, for secrets.py. */
  private void kept(JsonGenerator g, String name, String path, int parts) {
    g.writeStartObject();
    g.writeStringProperty("name", Shell.name(name));
    g.writeStringProperty("kind", "runctl");
    g.writeStringProperty("path", path);
    g.writeNumberProperty("parts", parts);
    g.writeStringProperty("region", region);
    g.writeEndObject();
  }

  /** The secret's {@code region:}, else its ARN's region, else {@code fallback} (the target's). */
  static String regionOf(SecretRef ref, String fallback) {
    String r = ref.settings().get("region");
    if (r != null) {
      return r;
    }
    String[] arn = ref.locator().split(":");
    return arn.length > 4 && arn[0].equals("arn") && !arn[3].isEmpty() ? arn[3] : fallback;
  }

  /**
   * The failure {@code remote/secrets.py} reported in {@code line} ("@@secret-failed NAME CODE
   * DETAIL"): what could not be fetched, why, and how to fix it.
   */
  StepException failure(String line, String instanceId) {
    String[] f = line.trim().split(" ", 4);
    String name = f.length > 1 ? f[1] : "?";
    String code = f.length > 2 ? f[2] : "";
    String detail = f.length > 3 ? f[3] : "";
    SecretRef ref =
        secrets.onMachine().stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    String what =
        ref == null
            ? "secret "
                + name
                + " (kept for the run in Parameter Store under "
                + SecretVault.path(runId)
                + ")"
            : "secret " + ref.describe();
    String region = ref == null ? this.region : regionOf(ref, this.region);
    String head = "Cannot fetch " + what + " on " + instanceId + ": ";
    String role = "the role of the instance profile (target.iam_instance_profile)";
    return switch (code) {
      case "ResourceNotFoundException", "ParameterNotFound" ->
          StepException.fatal(
              head + "it does not exist in " + region + " (" + code + ")",
              ref == null
                  ? "runctl resume stores the run's secrets again"
                  : "create it, or fix the name or region: on the aws target a secret is read in"
                      + " its region:, its ARN's region, or the target's region");
      case "AccessDeniedException", "AccessDenied", "UnauthorizedOperation" ->
          StepException.fatal(
              head + "the instance role may not read it (" + code + ": " + detail + ")",
              "allow "
                  + (ref != null && ref.source().equals("aws_secret")
                      ? "secretsmanager:GetSecretValue on the secret"
                      : ref != null
                          ? "ssm:GetParameters on the parameter"
                          : "ssm:GetParametersByPath on the run's parameters")
                  + " (and kms:Decrypt on its key) to "
                  + role
                  + " (docs/aws.md, 'The instance role')");
      case "NoKey", "NotJson", "Empty" ->
          StepException.fatal(head + detail, "fix key: or the secret's value");
      case "NoCli" ->
          StepException.fatal(
              head + detail, "use an image with the AWS CLI and python3 (docs/aws.md)");
      default ->
          code.startsWith("KMS") || code.contains("Decrypt") || code.startsWith("InvalidKey")
              ? StepException.fatal(
                  head + "its key cannot be used (" + code + ": " + detail + ")",
                  "allow kms:Decrypt on the key to " + role + " (docs/aws.md)")
              : StepException.transientError(
                  head + code + ": " + detail, "a retry fetches it again", null);
    };
  }
}
