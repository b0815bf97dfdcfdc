package dev.runctl.targets.aws;

import dev.runctl.engine.spi.Facts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterStringFilter;
import software.amazon.awssdk.services.ssm.model.ParameterTier;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * The secrets runctl read itself ({@code env}, {@code file}), and the command variables that hold a
 * value of runctl's environment ({@code ${{ env.X }}}), on their way to an instance: SecureString
 * parameters of SSM Parameter Store, {@code /runctl/runs/<run-id>/secrets/<NAME>/<part>} (or {@code
 * env-<n>/<part>}), encrypted with the account's {@code aws/ssm} key, which the instance reads
 * through its role. Neither the bucket nor a command's text ever holds them. A value longer than a
 * standard parameter's 4 KB is split into parts at character boundaries. Written once per run
 * process, before its first command needs them (a resume writes them again, as the values may have
 * changed); deleted at teardown.
 */
final class SecretVault {
  static final int PART_BYTES = 4096;

  /** The fact that says the run has parameters to delete, written before the first is. */
  static final String FACT = "aws.secrets.path";

  private final SsmClient ssm;
  private final String runId;
  private final Map<String, String> values;
  private final Facts facts;
  private Map<String, Integer> stored;
  private final Map<String, Slot> carried = new java.util.HashMap<>();

  SecretVault(SsmClient ssm, String runId, Map<String, String> values, Facts facts) {
    this.ssm = ssm;
    this.runId = runId;
    this.values = Map.copyOf(values);
    this.facts = facts;
  }

  /** Whether the run ever kept a secret in Parameter Store (teardown then deletes them). */
  static boolean used(Facts facts) {
    return facts.get(FACT).isPresent();
  }

  static String path(String runId) {
    return "/runctl/runs/" + runId + "/secrets/";
  }

  /** Stores every value (once); answers the number of parts of each, by variable name. */
  synchronized Map<String, Integer> store() {
    if (stored == null) {
      Map<String, Integer> parts = new LinkedHashMap<>();
      values.forEach((name, value) -> parts.put(name, put(path(runId) + Shell.name(name), value)));
      stored = parts;
    }
    return stored;
  }

  /** Where one command variable's value is kept, in how many parts. */
  record Slot(String path, int parts) {}

  /**
   * Stores the value of a command variable that holds a value from runctl's environment (once per
   * distinct value and run process) under a name of its own, {@code env-<n>}, which no variable
   * name can take: two steps may give one variable different values at once.
   */
  synchronized Slot store(String value) {
    Slot slot = carried.get(value);
    if (slot == null) {
      String path = path(runId) + "env-" + (carried.size() + 1);
      slot = new Slot(path, put(path, value));
      carried.put(value, slot);
    }
    return slot;
  }

  /** Puts {@code value} in parts under {@code path}; answers their number. */
  private int put(String path, String value) {
    if (!used(facts)) {
      facts.put(FACT, path(runId));
    }
    List<String> split = split(value);
    for (int i = 0; i < split.size(); i++) {
      String param = path + "/" + i;
      String part = split.get(i);
      AwsErrors.run(
          "store a secret for the instance as " + param,
          () ->
              ssm.putParameter(
                  p ->
                      p.name(param)
                          .type(ParameterType.SECURE_STRING)
                          .tier(ParameterTier.STANDARD)
                          .overwrite(true)
                          .description("runctl run " + runId + ": deleted at teardown")
                          .value(part)));
    }
    return split.size();
  }

  /**
   * Deletes the run's parameters; answers how many. Names come from DescribeParameters, so no value
   * is read.
   */
  static int delete(SsmClient ssm, String runId) throws SdkException {
    List<String> names = new ArrayList<>();
    ssm.describeParametersPaginator(
            d ->
                d.parameterFilters(
                    ParameterStringFilter.builder()
                        .key("Path")
                        .option("Recursive")
                        .values(path(runId).substring(0, path(runId).length() - 1))
                        .build()))
        .forEach(page -> page.parameters().forEach(p -> names.add(p.name())));
    for (int i = 0; i < names.size(); i += 10) {
      List<String> batch = names.subList(i, Math.min(names.size(), i + 10));
      ssm.deleteParameters(d -> d.names(batch));
    }
    return names.size();
  }

  /**
   * {@code value} in parts of at most {@link #PART_BYTES} bytes of UTF-8, never inside a character.
   */
  static List<String> split(String value) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    int bytes = 0;
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + n > PART_BYTES) {
        parts.add(value.substring(start, i));
        start = i;
        bytes = 0;
      }
      bytes += n;
      i += Character.charCount(cp);
    }
    parts.add(value.substring(start));
    return parts;
  }
}
