package dev.almanac.registry;

import java.util.Map;

/** A dataset used by a run, with input tags such as {@code mlflow.data.context=training}. */
public record DatasetInput(Dataset dataset, Map<String, String> tags) {
  public static final String CONTEXT_TAG = "mlflow.data.context";

  public DatasetInput {
    tags = Map.copyOf(tags);
  }

  /** A dataset in a context ({@code training}, {@code validation}, {@code holdout}...). */
  public static DatasetInput of(Dataset dataset, String context) {
    return new DatasetInput(dataset, Map.of(CONTEXT_TAG, context));
  }
}
