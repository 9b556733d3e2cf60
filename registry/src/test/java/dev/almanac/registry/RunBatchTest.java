package dev.almanac.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunBatchTest {

  @Test
  void splitsWithinMlflowLimitsAndKeepsEverything() {
    var params = new HashMap<String, String>();
    for (int i = 0; i < 250; i++) {
      params.put("p" + i, "v" + i);
    }
    var tags = new HashMap<String, String>();
    for (int i = 0; i < 130; i++) {
      tags.put("t" + i, "v" + i);
    }
    var metrics = new ArrayList<Metric>();
    for (int i = 0; i < 2500; i++) {
      metrics.add(new Metric("loss", i, 1L, i));
    }
    var chunks = new RunBatch(params, metrics, tags).split();

    assertThat(chunks)
        .allSatisfy(
            c -> {
              assertThat(c.params()).hasSizeLessThanOrEqualTo(RunBatch.MAX_PARAMS_PER_CALL);
              assertThat(c.tags()).hasSizeLessThanOrEqualTo(RunBatch.MAX_TAGS_PER_CALL);
              assertThat(c.metrics()).hasSizeLessThanOrEqualTo(RunBatch.MAX_METRICS_PER_CALL);
              assertThat(c.params().size() + c.tags().size() + c.metrics().size())
                  .isLessThanOrEqualTo(RunBatch.MAX_ENTRIES_PER_CALL);
            });
    assertThat(chunks.stream().mapToInt(c -> c.params().size()).sum()).isEqualTo(250);
    assertThat(chunks.stream().mapToInt(c -> c.tags().size()).sum()).isEqualTo(130);
    assertThat(chunks.stream().flatMap(c -> c.metrics().stream()).map(Metric::step))
        .containsExactlyElementsOf(metrics.stream().map(Metric::step).toList());
    // 250 params need 3 calls, and the 2500 metrics fit into the room the params and tags leave
    assertThat(chunks).hasSize(3);
  }

  @Test
  void emptyBatchNeedsNoCall() {
    assertThat(new RunBatch(Map.of(), java.util.List.of(), Map.of()).split()).isEmpty();
  }

  @Test
  void rejectsOverlongParamValueBeforeSending() {
    var batch = RunBatch.params(Map.of("features", "x".repeat(6001)));
    assertThatThrownBy(batch::validate)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("param 'features'")
        .hasMessageContaining("6001")
        .hasMessageContaining("6000");
    RunBatch.params(Map.of("features", "x".repeat(6000))).validate();
  }

  @Test
  void rejectsOverlongKeys() {
    assertThatThrownBy(() -> RunBatch.tags(Map.of("k".repeat(251), "v")).validate())
        .hasMessageContaining("tag key")
        .hasMessageContaining("251");
  }
}
