package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.engine.spi.ErrorClass;
import dev.runctl.engine.spi.StepException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Each classified AWS error: retryable or not, with a message that says what to do. */
class AwsErrorsTest {

  private static StepException aws(String code, int status, String message) {
    AwsServiceException e =
        AwsServiceException.builder()
            .statusCode(status)
            .awsErrorDetails(
                AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
            .build();
    return AwsErrors.translate("launch g5.xlarge", e);
  }

  @Test
  void capacityIsTransient() {
    StepException e = aws("InsufficientInstanceCapacity", 500 - 100, "no capacity");
    assertThat(e.errorClass()).isEqualTo(ErrorClass.ERROR);
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("InsufficientInstanceCapacity");
  }

  @Test
  void throttlingAndServerErrorsAreTransient() {
    for (String code : new String[] {"RequestLimitExceeded", "ThrottlingException", "SlowDown"}) {
      StepException e = aws(code, 400, "slow down");
      assertThat(e.retryable()).as(code).isTrue();
      assertThat(e.getMessage()).contains("throttled");
    }
    StepException e = aws("InternalError", 503, "oops");
    assertThat(e.retryable()).isTrue();
    assertThat(e.getMessage()).contains("HTTP 503");
  }

  @Test
  void anAnswerWithoutAnAwsErrorPointsAtTheEndpoint() {
    StepException e =
        AwsErrors.translate(
            "look up the instances of 2 runs in us-east-1",
            AwsServiceException.builder().statusCode(404).build());
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot look up the instances of 2 runs in us-east-1: the endpoint answered HTTP 404"
                + " without an AWS error");
    assertThat(e.hint()).get().asString().contains("AWS_ENDPOINT_URL");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void anUnknownHostSaysWhichHost() {
    StepException e =
        AwsErrors.translate(
            "look up the instances of 1 run in us-east-1",
            SdkClientException.builder()
                .message("Received an UnknownHostException when attempting to interact ...")
                .cause(new java.net.UnknownHostException("ec2.us-east-1.amazonaws.com"))
                .build());
    assertThat(e.getMessage())
        .isEqualTo(
            "Cannot look up the instances of 1 run in us-east-1: AWS did not answer (cannot"
                + " resolve ec2.us-east-1.amazonaws.com: no network, or no DNS)");
    assertThat(e.retryable()).isTrue();
  }

  @Test
  void permissionsAreFatalAndPointAtThePolicy() {
    StepException e = aws("UnauthorizedOperation", 403, "You are not authorized");
    assertThat(e.retryable()).isFalse();
    assertThat(e.hint())
        .get()
        .asString()
        .contains("docs/aws.md")
        .contains("decode-authorization-message");
  }

  @Test
  void unknownInstanceProfileIsFatalWithTheFix() {
    StepException e =
        aws(
            "InvalidParameterValue",
            400,
            "Value (nope) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance"
                + " Profile name");
    assertThat(e.retryable()).isFalse();
    assertThat(e.hint()).get().asString().contains("create it and its role");
  }

  @Test
  void spotPriceTooLowSaysRaiseTheCeiling() {
    StepException e = aws("SpotMaxPriceTooLow", 400, "Your max price is below the spot price");
    assertThat(e.retryable()).isFalse();
    assertThat(e.hint()).get().asString().contains("raise max_price");
  }

  @Test
  void aGoneInstanceIsAnInterruption() {
    assertThat(aws("InvalidInstanceId", 400, "not in a valid state").errorClass())
        .isEqualTo(ErrorClass.INTERRUPTION);
  }

  @Test
  void noCredentialsIsFatalAndNoConnectionIsTransient() {
    StepException creds =
        AwsErrors.translate(
            "launch", SdkClientException.create("Unable to load credentials from any provider"));
    assertThat(creds.retryable()).isFalse();
    assertThat(creds.hint()).get().asString().contains("aws sso login");
    StepException net =
        AwsErrors.translate("launch", SdkClientException.create("Connection refused"));
    assertThat(net.retryable()).isTrue();
    assertThat(net.hint()).get().asString().contains("AWS_ENDPOINT_URL");
  }

  @Test
  void theCodeSurvivesTranslation() {
    assertThat(AwsErrors.code(aws("SpotMaxPriceTooLow", 400, "x"))).isEqualTo("SpotMaxPriceTooLow");
  }

  @Test
  void theCliOnAnInstanceSaysWhenItWasThrottled() {
    assertThat(
            AwsErrors.cliThrottled(
                "download failed: s3://b/k to ../f An error occurred (SlowDown) when calling the"
                    + " GetObject operation (reached max retries: 4): Please reduce your request"
                    + " rate."))
        .isTrue();
    assertThat(
            AwsErrors.cliThrottled(
                "download failed: s3://b/k to ../f An error occurred (AccessDenied) when calling"
                    + " the GetObject operation: Access Denied"))
        .isFalse();
    assertThat(AwsErrors.cliThrottled("fatal error: Could not connect to the endpoint URL"))
        .isFalse();
  }
}
