package dev.runctl.targets.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AwsWarmupTest {
  @Test
  void everyCallOfTheWarmupReachesItsStandInAndParses() throws Exception {
    // head bucket, list, put, describe instances, get parameter: a call that failed would throw,
    // one that never left the client would not be counted
    assertThat(AwsWarmup.run()).isEqualTo(5);
  }
}
