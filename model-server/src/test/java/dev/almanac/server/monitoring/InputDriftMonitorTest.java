package dev.almanac.server.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.almanac.ml.bundle.InputProfile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InputDriftMonitorTest {
  private static final List<String> COLUMNS =
      List.of("itching", " skin_rash", "fluid_overload", "fluid_overload ");

  @Test
  void psiIsZeroWithoutShiftAndGrowsWithIt() {
    assertThat(InputDriftMonitor.psi(0.2, 0.2)).isZero();
    assertThat(InputDriftMonitor.psi(0.2, 0.25)).isBetween(0.0, 0.1);
    assertThat(InputDriftMonitor.psi(0.2, 0.6)).isGreaterThan(0.25);
    assertThat(InputDriftMonitor.psi(0.05, 0.0)).isFinite().isGreaterThan(0.1);
    // symmetric in the two sides of the split
    assertThat(InputDriftMonitor.psi(0.3, 0.5))
        .isCloseTo(InputDriftMonitor.psi(0.7, 0.5), within(1e-12));
  }

  @Test
  void profileCountsADuplicatedColumnOncePerRow() {
    double[][] x = {{1, 0, 1, 1}, {0, 1, 0, 0}, {0, 0, 0, 1}, {1, 1, 0, 0}};
    var profile = InputProfile.of(COLUMNS, x);
    assertThat(profile.rows()).isEqualTo(4);
    assertThat(profile.symptomFrequencies())
        .containsExactly(
            Map.entry("itching", 0.5),
            Map.entry("skin_rash", 0.5),
            Map.entry("fluid_overload", 0.5));
  }

  @Test
  void aFinishedWindowBecomesTheSnapshot() {
    var profile =
        new InputProfile(100, Map.of("itching", 0.5, "skin_rash", 0.5, "fluid_overload", 0.5));
    var monitor = new InputDriftMonitor(COLUMNS, profile, 4);
    float[] matching = {1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 1, 0, 1, 1, 0, 0};
    monitor.observe(matching, 3, 4);
    assertThat(monitor.last()).as("window not finished yet").isEmpty();
    monitor.observe(java.util.Arrays.copyOfRange(matching, 12, 16), 1, 4);
    var first = monitor.last().orElseThrow();
    assertThat(first.requests()).isEqualTo(4);
    assertThat(first.max()).isLessThan(0.1);
    // every request now names itching only
    float[] skewed = new float[16];
    for (int r = 0; r < 4; r++) {
      skewed[r * 4] = 1;
    }
    monitor.observe(skewed, 4, 4);
    var second = monitor.last().orElseThrow();
    assertThat(second.max()).isGreaterThan(0.25);
    assertThat(second.mean()).isGreaterThan(0.25);
    assertThat(monitor.windows()).isEqualTo(2);
  }
}
