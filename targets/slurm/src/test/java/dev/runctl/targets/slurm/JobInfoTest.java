package dev.runctl.targets.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobInfoTest {
  private static final String LINE =
      "JobId=7 JobName=runctl-r-train-1 UserId=root(0) JobState=TIMEOUT Reason=TimeLimit"
          + " Dependency=(null) Requeue=1 Restarts=2 BatchFlag=1 ExitCode=0:15 NodeList=n[1-2]"
          + " Command=/tmp/a b/batch.sh WorkDir=/tmp/a b";

  @Test
  void readsStateReasonRestartsAndNodes() {
    JobInfo j = JobInfo.parse(LINE).orElseThrow();
    assertThat(j.id()).isEqualTo("7");
    assertThat(j.state()).isEqualTo("TIMEOUT");
    assertThat(j.reason()).isEqualTo("TimeLimit");
    assertThat(j.restarts()).isEqualTo(2);
    assertThat(j.nodes()).isEqualTo("n[1-2]");
    assertThat(j.active()).isFalse();
    assertThat(j.scriptExitCode()).as("killed by signal 15").isEqualTo(143);
  }

  @Test
  void aStateWithFlagsIsItsBaseState() {
    JobInfo j = JobInfo.parse("JobId=8 JobState=CANCELLED+ ExitCode=3:0").orElseThrow();
    assertThat(j.state()).isEqualTo("CANCELLED");
    assertThat(j.scriptExitCode()).isEqualTo(3);
    assertThat(JobInfo.parse("JobId=9 JobState=PENDING").orElseThrow().active()).isTrue();
  }

  @Test
  void aLineWithoutAJobIsNone() {
    assertThat(JobInfo.parse("No jobs in the system")).isEmpty();
  }
}
