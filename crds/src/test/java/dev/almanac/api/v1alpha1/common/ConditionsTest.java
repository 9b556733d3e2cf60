package dev.almanac.api.v1alpha1.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  private static final Clock T0 =
      Clock.fixed(Instant.parse("2026-11-25T10:00:00Z"), ZoneOffset.UTC);
  private static final Clock T1 =
      Clock.fixed(Instant.parse("2026-11-25T11:00:00Z"), ZoneOffset.UTC);

  @Test
  void transitionTimeMovesOnlyWhenStatusFlips() {
    var first = Conditions.set(null, ConditionType.READY, true, Reason.Reconciled, "ok", 1L, T0);
    var same =
        Conditions.set(first, ConditionType.READY, true, Reason.Promoted, "still ok", 2L, T1);
    var flipped =
        Conditions.set(same, ConditionType.READY, false, Reason.RunFailed, "boom", 3L, T1);

    assertThat(same.get(0).getLastTransitionTime()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(same.get(0).getObservedGeneration()).isEqualTo(2L);
    assertThat(same.get(0).getReason()).isEqualTo("Promoted");
    assertThat(flipped.get(0).getLastTransitionTime()).isEqualTo("2026-11-25T11:00:00Z");
    assertThat(flipped.get(0).getStatus()).isEqualTo("False");
  }

  @Test
  void keepsOtherConditionsSortedByType() {
    var c = Conditions.set(null, ConditionType.TRAINING, true, Reason.RunStarted, "", 1L, T0);
    c = Conditions.set(c, ConditionType.READY, true, Reason.Reconciled, "", 1L, T0);
    c = Conditions.set(c, ConditionType.PROMOTED, false, Reason.GateFailed, "", 1L, T0);

    assertThat(c).extracting(x -> x.getType()).containsExactly("Promoted", "Ready", "Training");
    assertThat(Conditions.isTrue(c, ConditionType.READY)).isTrue();
    assertThat(Conditions.isTrue(c, ConditionType.PROMOTED)).isFalse();
    assertThat(Conditions.isTrue(c, ConditionType.VALIDATED)).isFalse();
  }
}
