package dev.almanac.operator.pipeline;

import static dev.almanac.operator.pipeline.Pipelines.pipeline;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.api.v1alpha1.pipeline.Metric;
import dev.almanac.api.v1alpha1.pipeline.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScheduleAndGateTest {
  @Test
  void cronInATimeZoneAndTheMissedWindow() {
    var s = RunSchedule.parse("0 3 * * *", "Europe/Berlin");
    var next = s.next(Instant.parse("2026-11-25T00:00:00Z")).orElseThrow();
    assertThat(next).isEqualTo(Instant.parse("2026-11-25T02:00:00Z"));
    var due = s.due(Instant.parse("2026-11-22T12:00:00Z"), Instant.parse("2026-11-25T02:30:00Z"));
    assertThat(due.latest()).contains(Instant.parse("2026-11-25T02:00:00Z"));
    assertThat(due.count()).isEqualTo(3);
    assertThat(s.interval(next)).contains(Duration.ofDays(1));
    assertThat(RunSchedule.parse("@hourly", null).next(Instant.parse("2026-11-25T00:10:00Z")))
        .contains(Instant.parse("2026-11-25T01:00:00Z"));
  }

  @Test
  void badCronValuesAndZonesNameTheField() {
    assertThatThrownBy(() -> RunSchedule.parse("0 25 * * *", "Etc/UTC"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("spec.schedule:");
    assertThatThrownBy(() -> RunSchedule.parse("0 3 * * *", "Nowhere/City"))
        .isInstanceOf(InvalidSpecException.class)
        .hasMessageStartingWith("spec.timeZone:");
  }

  @Test
  void gatesFollowTheMetricDirection() {
    var gate = new PromotionGate();
    var forecast = pipeline("ns", "fp", "m", s -> {}).getSpec();
    assertThat(gate.evaluate(forecast, result("MASE", 0.9, null, null)).passed()).isTrue();
    assertThat(gate.evaluate(forecast, result("MASE", 1.1, null, null)).gate())
        .isEqualTo(PromotionGate.THRESHOLD);
    assertThat(gate.evaluate(forecast, result("MASE", 0.9, "3", 0.8)).gate())
        .isEqualTo(PromotionGate.CHAMPION);
    forecast.getValidation().setMustBeatProduction(false);
    assertThat(gate.evaluate(forecast, result("MASE", 0.9, "3", 0.8)).passed()).isTrue();

    var classifier =
        pipeline(
                "ns",
                "fp",
                "m",
                s -> {
                  s.setTask(Task.CLASSIFICATION);
                  s.getValidation().setMetric(Metric.Accuracy);
                  s.getValidation().setThreshold("0.9");
                })
            .getSpec();
    assertThat(gate.evaluate(classifier, result("Accuracy", 0.95, "3", 0.93)).passed()).isTrue();
    assertThat(gate.evaluate(classifier, result("Accuracy", 0.85, null, null)).message())
        .contains("Accuracy 0.8500 < threshold 0.9");
    assertThat(gate.evaluate(classifier, result("Accuracy", 0.95, "3", 0.97)).passed()).isFalse();
    assertThat(gate.evaluate(classifier, result("MASE", 0.95, null, null)).passed()).isFalse();
  }

  @Test
  void trainerResultsAreReadFromTheTailOfTheTerminationMessage() {
    var r =
        TrainerResult.parse("log line\nanother\n" + Pipelines.result("7", 0.8, "6", 0.9))
            .orElseThrow();
    assertThat(r.succeeded()).isTrue();
    assertThat(r.modelVersion()).isEqualTo("7");
    assertThat(r.championMetric()).isEqualTo(0.9);
    assertThat(r.metrics()).containsEntry("mase.USA", "0.8");
    assertThat(TrainerResult.parse("Exception in thread main")).isEmpty();
    var cli =
        TrainerResult.parse(
                "{\"status\":\"Failed\",\"exitCode\":2,\"message\":\"spec.horizon must be > 0\"}")
            .orElseThrow();
    assertThat(cli.invalidSpec()).isTrue();
    assertThat(cli.reason()).isEqualTo("spec.horizon must be > 0");
    assertThat(TrainerResult.parse("{\"no\":1}")).isEmpty();
  }

  private static TrainerResult result(
      String metric, double value, String champion, Double championValue) {
    return new TrainerResult(
        "succeeded", null, null, "r", "m", "4", metric, value, champion, championValue, Map.of());
  }
}
