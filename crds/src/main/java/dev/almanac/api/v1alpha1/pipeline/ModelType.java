package dev.almanac.api.v1alpha1.pipeline;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Candidate model families and the tasks each can do: the one table read by the trainer and,
 * through the {@code *_CEL} lists that {@code ModelTypeTableTest} proves equal to it, by the CRD's
 * validation. SeasonalNaive, ETS and Prophet are statistical members that keep the ensemble honest;
 * LSTM is a small recurrent network over the lag features. Prophet and LSTM are opt-in: a spec
 * without {@code models} does not get them (neither helps the reference forecast; see
 * benchmarks/RESULTS.md).
 */
public enum ModelType {
  RandomForest(Task.FORECAST, Task.CLASSIFICATION),
  XGBoost(Task.FORECAST, Task.CLASSIFICATION),
  LightGBM(Task.FORECAST),
  Linear(Task.FORECAST),
  Ridge(Task.FORECAST),
  LogisticRegression(Task.CLASSIFICATION),
  SeasonalNaive(Task.FORECAST),
  ETS(Task.FORECAST),
  Prophet(Task.FORECAST),
  LSTM(Task.FORECAST);

  /**
   * The forecast types as a CEL list literal, for the CRD's rule (an annotation takes only
   * constants).
   */
  public static final String FORECAST_CEL =
      "['RandomForest', 'XGBoost', 'LightGBM', 'Linear', 'Ridge', 'SeasonalNaive', 'ETS', 'Prophet', 'LSTM']";

  /** The classification types as a CEL list literal. */
  public static final String CLASSIFICATION_CEL =
      "['RandomForest', 'XGBoost', 'LogisticRegression']";

  private final Set<Task> tasks;

  ModelType(Task first, Task... more) {
    this.tasks = EnumSet.of(first, more);
  }

  public boolean supports(Task task) {
    return tasks.contains(task);
  }

  /** Fitted per series in the trainer (no feature matrix, no ONNX graph). */
  public boolean statistical() {
    return this == SeasonalNaive || this == ETS || this == Prophet;
  }

  /** Trained only when a spec names it. */
  public boolean optIn() {
    return this == Prophet || this == LSTM;
  }

  /** The types a task takes, in declaration order. */
  public static List<ModelType> forTask(Task task) {
    return Arrays.stream(values()).filter(t -> t.supports(task)).toList();
  }

  /**
   * The trainer's candidates for a spec without {@code models}: the task's types less the opt-in
   * ones.
   */
  public static List<ModelType> defaultsFor(Task task) {
    return forTask(task).stream().filter(t -> !t.optIn()).toList();
  }

  /**
   * The CEL list literal of {@link #forTask}: what {@link #FORECAST_CEL} and {@link
   * #CLASSIFICATION_CEL} must equal.
   */
  public static String celList(Task task) {
    return forTask(task).stream().map(t -> "'" + t.name() + "'").toList().toString();
  }
}
