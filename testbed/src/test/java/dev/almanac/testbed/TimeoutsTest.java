package dev.almanac.testbed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeoutsTest {
  @Test
  void anIdleMachineKeepsTheWrittenWaits() {
    assertThat(Timeouts.fromLoad(0.0, 2)).isEqualTo(1.0);
    assertThat(Timeouts.fromLoad(-1.0, 2)).as("no load average reported").isEqualTo(1.0);
  }

  @Test
  void aLoadedMachineWaitsLongerUpToTheCap() {
    assertThat(Timeouts.fromLoad(4.0, 2)).isEqualTo(3.0);
    assertThat(Timeouts.fromLoad(11.0, 2)).isEqualTo(Timeouts.MAX_AUTOMATIC_FACTOR);
  }

  @Test
  void aConfiguredFactorMustBeANumberOfAtLeastOne() {
    assertThat(Timeouts.parse(" 2.5 ")).isEqualTo(2.5);
    assertThatThrownBy(() -> Timeouts.parse("fast")).hasMessageContaining("'fast'");
    assertThatThrownBy(() -> Timeouts.parse("0.5")).hasMessageContaining(">= 1");
  }

  @Test
  void scaledWaitsAreNeverShorterThanWritten() {
    assertThat(Timeouts.seconds(30)).isGreaterThanOrEqualTo(Duration.ofSeconds(30));
  }
}
