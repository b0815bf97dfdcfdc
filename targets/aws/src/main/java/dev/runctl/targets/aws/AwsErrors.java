package dev.runctl.targets.aws;

import dev.runctl.engine.spi.StepException;
import java.util.Locale;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The boundary where SDK exceptions become runctl's: each classified (transient or not) with a
 * message that says what failed and what to do. Every SDK call of the target goes through {@link
 * #call}.
 */
final class AwsErrors {
  private AwsErrors() {}

  /** Runs an SDK call; translates its exception, naming {@code action} ("launch g5.xlarge"). */
  static <T> T call(String action, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw translate(action, e);
    }
  }

  static void run(String action, Runnable call) {
    call(
        action,
        () -> {
          call.run();
          return null;
        });
  }

  /** The AWS error code of {@code e}, or "" when it has none. */
  static String code(Throwable e) {
    if (e instanceof AwsServiceException a && a.awsErrorDetails() != null) {
      String code = a.awsErrorDetails().errorCode();
      return code == null ? "" : code;
    }
    if (e instanceof StepException s && s.getCause() != null) {
      return code(s.getCause());
    }
    return "";
  }

  static StepException translate(String action, SdkException e) {
    if (e instanceof AwsServiceException a) {
      return service(action, a);
    }
    String text = String.valueOf(e.getMessage());
    if (text.contains("Unable to load credentials") || text.contains("credentials")) {
      return new StepException(
          dev.runctl.engine.spi.ErrorClass.ERROR,
          false,
          "Cannot " + action + ": no AWS credentials found",
          "sign in first: aws configure, aws sso login, AWS_PROFILE=..., or the"
              + " AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment variables",
          e);
    }
    for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
      if (c instanceof java.net.UnknownHostException u) {
        text = "cannot resolve " + u.getMessage() + ": no network, or no DNS";
        break;
      }
    }
    return StepException.transientError(
        "Cannot " + action + ": AWS did not answer (" + text + ")",
        "check the network and, if set, AWS_ENDPOINT_URL; runctl retries this",
        e);
  }

  private static StepException service(String action, AwsServiceException e) {
    String code = code(e);
    String msg = e.awsErrorDetails() == null ? e.getMessage() : e.awsErrorDetails().errorMessage();
    String what = "Cannot " + action + ": " + msg + " (" + code + ")";
    String lower = (code + " " + msg).toLowerCase(Locale.ROOT);
    if (isThrottling(code) || e.statusCode() == 429) {
      return StepException.transientError(
          "AWS throttled runctl while trying to " + action + " (" + code + ")",
          "runctl backs off and retries; if this persists, other tools in the account are using"
              + " the API quota",
          e);
    }
    if (e.statusCode() >= 500) {
      return StepException.transientError(
          "AWS failed while trying to " + action + " (HTTP " + e.statusCode() + " " + code + ")",
          "a transient AWS fault; runctl retries it",
          e);
    }
    if (code.isEmpty() && (msg == null || msg.isBlank())) {
      // no AWS error in the answer: something else (a proxy, a wrong endpoint) answered
      String endpoint = System.getenv("AWS_ENDPOINT_URL");
      return fatal(
          "Cannot "
              + action
              + ": the endpoint answered HTTP "
              + e.statusCode()
              + " without an AWS error",
          "check AWS_ENDPOINT_URL"
              + (endpoint == null || endpoint.isBlank() ? "" : " (" + endpoint + ")")
              + " and any HTTP proxy between you and AWS",
          e);
    }
    if (lower.contains("iaminstanceprofile") || lower.contains("instance profile")) {
      return fatal(
          what,
          "the instance profile does not exist (or is not yet visible): create it and its role as"
              + " docs/aws.md shows (section 'The instance role'), then retry",
          e);
    }
    return switch (code) {
      case "UnauthorizedOperation", "AccessDenied", "AccessDeniedException", "AuthFailure" ->
          fatal(
              what,
              "the AWS identity runctl runs as lacks a permission: add the policy from docs/aws.md"
                  + " (section 'IAM for the user'); decode details with aws sts"
                  + " decode-authorization-message --encoded-message ...",
              e);
      case "InvalidClientTokenId",
          "ExpiredToken",
          "ExpiredTokenException",
          "SignatureDoesNotMatch" ->
          fatal(what, "the AWS credentials are invalid or expired: sign in again", e);
      case "InvalidAMIID.NotFound", "InvalidAMIID.Malformed", "InvalidAMIID.Unavailable" ->
          fatal(
              what,
              "check the image: AMI ids are per region; use {ssm_parameter: ...} or {name, owner}"
                  + " to find one in this region",
              e);
      case "ParameterNotFound" ->
          fatal(what, "check image.ssm_parameter: the path must exist in this region", e);
      case "NoSuchBucket" ->
          fatal(
              what,
              "create the bucket in this region (aws s3 mb s3://NAME) or fix target.bucket",
              e);
      case "InvalidSubnetID.NotFound", "InvalidGroup.NotFound", "InvalidKeyPair.NotFound" ->
          fatal(what, "check subnet_id, security_group_ids and key_name for this region", e);
      case "InvalidParameterValue", "InvalidParameterCombination", "ValidationError" ->
          fatal(what, "check the aws target settings", e);
      case "InsufficientInstanceCapacity", "InsufficientCapacity", "InsufficientHostCapacity" ->
          StepException.transientError(
              what, "AWS has no capacity for this type here right now; runctl retries", e);
      case "SpotMaxPriceTooLow" ->
          fatal(what, "raise max_price, or set market: spot_or_on_demand", e);
      case "MaxSpotInstanceCountExceeded", "VcpuLimitExceeded", "InstanceLimitExceeded" ->
          fatal(
              what,
              "the account's quota for this instance family is used up: request an increase in"
                  + " Service Quotas, or pick another type",
              e);
      case "InvalidInstanceId", "InvalidInstanceID.NotFound" ->
          StepException.interruption(
              what, "the instance is gone or not running; a retry provisions a new one");
      default -> fatal(what, "see docs/aws.md, section Troubleshooting", e);
    };
  }

  private static final java.util.regex.Pattern CLI_ERROR =
      java.util.regex.Pattern.compile("An error occurred \\(([A-Za-z]+)\\)");

  /**
   * True when the AWS CLI's {@code stderr} (on an instance) says AWS throttled it: "An error
   * occurred (SlowDown) when calling the GetObject operation (reached max retries: 4): ...".
   */
  static boolean cliThrottled(String stderr) {
    java.util.regex.Matcher m = CLI_ERROR.matcher(stderr);
    while (m.find()) {
      if (isThrottling(m.group(1))) {
        return true;
      }
    }
    return false;
  }

  static boolean isThrottling(String code) {
    return switch (code) {
      case "RequestLimitExceeded",
          "Throttling",
          "ThrottlingException",
          "ThrottledException",
          "TooManyRequestsException",
          "SlowDown",
          "RequestThrottled",
          "RequestThrottledException" ->
          true;
      default -> false;
    };
  }

  private static StepException fatal(String message, String hint, Throwable cause) {
    return new StepException(dev.runctl.engine.spi.ErrorClass.ERROR, false, message, hint, cause);
  }
}
