package dev.runctl.targets.aws.state;

import dev.runctl.engine.ErrorCategory;
import dev.runctl.engine.RunctlException;
import dev.runctl.engine.spi.RemoteState;
import dev.runctl.engine.spi.SettingsSchema;
import dev.runctl.engine.spi.StateBackend;
import dev.runctl.engine.spi.StateRef;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code state: {backend: s3, bucket: b, prefix: p, region: r}}: runs kept under {@code
 * s3://b/p/runs/}. Credentials, region and endpoint come from the AWS SDK's standard chains unless
 * {@code region} says. The lock of a run relies on S3's conditional writes.
 */
public final class S3StateBackend implements StateBackend {
  static final String BUCKET = "bucket";
  static final String PREFIX = "prefix";
  static final String REGION = "region";
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  public static final SettingsSchema SCHEMA =
      SettingsSchema.of(
              """
              {
                "description": "s3: runs kept in an S3 bucket that every machine which runs, follows or resumes them can read and write.",
                "type": "object",
                "required": ["bucket"],
                "additionalProperties": false,
                "properties": {
                  "bucket": {"description": "The bucket (it must exist; see docs/aws.md for the IAM statements).",
                             "type": "string", "pattern": "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"},
                  "prefix": {"description": "The folder in the bucket that holds the runs, e.g. team/nlp. Default: the bucket's root.",
                             "type": "string"},
                  "region": {"description": "The bucket's region. Default: the AWS chain's (AWS_REGION, the profile).",
                             "type": "string", "minLength": 1}
                }
              }
              """)
          .whenMissing(BUCKET, "e.g. state: {backend: s3, bucket: team-runctl-state}")
          .whenMalformed(
              BUCKET,
              "'%s' is not an S3 bucket name",
              "3 to 63 lower-case letters, digits, dots and hyphens");

  @Override
  public String name() {
    return "s3";
  }

  @Override
  public SettingsSchema settings() {
    return SCHEMA;
  }

  @Override
  public StateRef parse(String uri) {
    String rest = uri.startsWith("s3://") ? uri.substring("s3://".length()) : "";
    int slash = rest.indexOf('/');
    String bucket = slash < 0 ? rest : rest.substring(0, slash);
    String prefix = slash < 0 ? "" : trim(rest.substring(slash + 1));
    if (!BUCKET_NAME.matcher(bucket).matches()) {
      throw new RunctlException(
          ErrorCategory.USAGE,
          "RUNCTL_STATE='" + uri + "' does not name an S3 bucket",
          "e.g. RUNCTL_STATE=s3://team-runctl-state/nlp (bucket, then an optional prefix)");
    }
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(BUCKET, bucket);
    if (!prefix.isEmpty()) {
      settings.put(PREFIX, prefix);
    }
    return new StateRef(name(), settings, Optional.empty(), "RUNCTL_STATE");
  }

  @Override
  public String describe(StateRef ref) {
    String prefix = trim(ref.settings().getOrDefault(PREFIX, ""));
    return "s3://" + ref.settings().get(BUCKET) + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  @Override
  public RemoteState open(StateRef ref) {
    return new S3RemoteState(
        ref.settings().get(BUCKET),
        trim(ref.settings().getOrDefault(PREFIX, "")),
        Optional.ofNullable(ref.settings().get(REGION)),
        describe(ref));
  }

  static String trim(String prefix) {
    String p = prefix;
    while (p.startsWith("/")) {
      p = p.substring(1);
    }
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
