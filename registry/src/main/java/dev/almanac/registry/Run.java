package dev.almanac.registry;

import java.util.List;
import java.util.Map;

/** A run as MLflow returns it: info, params, latest metric values, tags and dataset inputs. */
public record Run(
    RunInfo info,
    Map<String, String> params,
    Map<String, Metric> metrics,
    Map<String, String> tags,
    List<DatasetInput> inputs) {
  public Run {
    params = Map.copyOf(params);
    metrics = Map.copyOf(metrics);
    tags = Map.copyOf(tags);
    inputs = List.copyOf(inputs);
  }
}
