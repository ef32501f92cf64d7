package dev.lambdagate.controlplane.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented STS-check numbers: retry 15 s doubling to 5 min, re-check every 30 min. */
class StsCheckScheduleTest {

  @Test
  void failuresAreRetriedAfterFifteenSecondsDoublingUpToFiveMinutes() {
    StsCheckSchedule schedule = StsCheckSchedule.DEFAULT;
    List<Duration> delays = new ArrayList<>();
    Duration retry = schedule.firstRetry();
    for (int i = 0; i < 8; i++) {
      StsCheckSchedule.Next next = schedule.next(StsCheckResult.State.REJECTED, retry);
      delays.add(next.delay());
      retry = next.retryDelay();
    }
    assertThat(delays)
        .containsExactly(
            Duration.ofSeconds(15),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            Duration.ofSeconds(120),
            Duration.ofSeconds(240),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            Duration.ofMinutes(5));
  }

  @Test
  void unreachableBacksOffLikeRejected() {
    StsCheckSchedule.Next next =
        StsCheckSchedule.DEFAULT.next(StsCheckResult.State.UNREACHABLE, Duration.ofSeconds(15));
    assertThat(next)
        .isEqualTo(new StsCheckSchedule.Next(Duration.ofSeconds(15), Duration.ofSeconds(30)));
  }

  @Test
  void aPassIsRecheckedAfterThirtyMinutesAndResetsTheBackoff() {
    StsCheckSchedule.Next next =
        StsCheckSchedule.DEFAULT.next(StsCheckResult.State.ISSUED, Duration.ofMinutes(5));
    assertThat(next.delay()).isEqualTo(Duration.ofMinutes(30));
    assertThat(next.retryDelay()).isEqualTo(Duration.ofSeconds(15));
  }
}
