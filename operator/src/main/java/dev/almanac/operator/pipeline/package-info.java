/**
 * The ForecastPipeline controller. {@link dev.almanac.operator.pipeline.ForecastPipelineReconciler}
 * is the JOSDK shell; {@link dev.almanac.operator.pipeline.PipelineSync} runs one pass as explicit
 * steps (sealed {@code PipelineStep}: {@code ObserveRuns} reads, {@code DecidePromotions} decides
 * gates and moves MLflow, {@code LaunchDueRun} starts runs, {@code PruneHistory} bounds the
 * history) over an immutable {@code PassState} and a {@code PipelineContext}. {@code
 * PipelineConditions} sets every condition, error path included. Run objects: built by {@link
 * dev.almanac.operator.pipeline.RunObjects}, named by {@link
 * dev.almanac.operator.pipeline.RunNames}, created and deleted only by {@code RunObjectStore}.
 * Promotion: {@link dev.almanac.operator.pipeline.PromotionGate} (the verdict), {@link
 * dev.almanac.operator.pipeline.Promoter} (the MLflow move), listeners such as {@link
 * dev.almanac.operator.pipeline.BatchPredictionLauncher}.
 */
package dev.almanac.operator.pipeline;
