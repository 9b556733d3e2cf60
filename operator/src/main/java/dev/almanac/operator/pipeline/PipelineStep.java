package dev.almanac.operator.pipeline;

/**
 * One step of a ForecastPipeline pass. A step reads the {@link PipelineContext} (never changed) and
 * the {@link PassState} the steps before it left, and returns the next state, with its findings in
 * {@link PassState.Findings}, and its {@link Progress}. The pass runs them in this order:
 *
 * <ol>
 *   <li>{@link ObserveRuns}: reads Jobs and trainer results into the run history (reads only);
 *   <li>{@link DecidePromotions}: gates, automatic promotion and the promote / rollback verbs (the
 *       only step that writes to MLflow);
 *   <li>{@link LaunchDueRun}: starts the run that is due and sets the next schedule time;
 *   <li>{@link PruneHistory}: bounds the run history and deletes the objects of runs that fell out.
 * </ol>
 *
 * Conditions are set after the last step by {@link PipelineConditions}. Events, metrics and
 * listener calls are queued in the state and only run once the whole pass has succeeded.
 */
sealed interface PipelineStep permits ObserveRuns, DecidePromotions, LaunchDueRun, PruneHistory {

  Result apply(PipelineContext context, PassState state);

  /** The state after the step, and what it asks of the pass. */
  record Result(Progress progress, PassState state) {
    static Result proceed(PassState state) {
      return new Result(Progress.proceed(), state);
    }
  }
}
