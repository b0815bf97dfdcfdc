package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runctl.targets.aws.support.AwsHarness;
import dev.runctl.targets.aws.support.AwsTargetIT;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Instance;

/** What the guard tests look at: the instance's end and what the guard wrote to the bucket. */
abstract class GuardScenarios extends AwsTargetIT {
  protected Instance awaitTerminated(String id, Duration within) throws InterruptedException {
    Instant deadline = Instant.now().plus(within);
    while (true) {
      Instance i =
          aws.ec2
              .describeInstances(r -> r.instanceIds(id))
              .reservations()
              .get(0)
              .instances()
              .get(0);
      if (i.state().nameAsString().equals("terminated")) {
        return i;
      }
      assertThat(Instant.now()).as(id + " terminated by its guard").isBefore(deadline);
      Thread.sleep(1000);
    }
  }

  protected List<String> bucket(String prefix) {
    return aws.s3.listObjectsV2(r -> r.bucket(AwsHarness.BUCKET).prefix(prefix)).contents().stream()
        .map(o -> o.key())
        .toList();
  }

  protected String text(String key) {
    return aws.s3.getObjectAsBytes(g -> g.bucket(AwsHarness.BUCKET).key(key)).asUtf8String();
  }
}
