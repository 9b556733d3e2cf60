package dev.almanac.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MLflow 3's logged models over REST ({@code /api/2.0/mlflow/logged-models}): create one for a run,
 * finalize it, link the run's metrics and dataset to it, and find the ones a run produced. {@link
 * #supported} asks the server once whether it has them at all (MLflow 2.x does not).
 */
public final class MlflowLoggedModels {
  private static final String ENDPOINT = "logged-models";
  private static final int PARAMS_PER_CALL = 100;

  private final MlflowHttp http;
  private volatile Boolean supported;

  public MlflowLoggedModels(MlflowHttp http) {
    this.http = http;
  }

  /**
   * One metric value of a logged model, with the dataset it was computed on ("" when none) and the
   * run that logged it.
   */
  public record LinkedMetric(
      Metric metric, String datasetName, String datasetDigest, String runId) {}

  /**
   * Whether the server has logged models, by asking it (a one-row search in {@code experimentId},
   * which changes nothing), not by its version string: MLflow 2.x has no such route and answers
   * 404, as does a registry that never had them; 405 and 501 say the same. Asked once per instance
   * (one per {@link MlflowConnection}); any other failure (unreachable, 403) is thrown and not
   * remembered.
   */
  public boolean supported(String experimentId) {
    var known = supported;
    if (known != null) {
      return known;
    }
    boolean answer;
    try {
      http.post(
          ENDPOINT + "/search",
          Map.of("experiment_ids", List.of(experimentId), "max_results", 1),
          MlflowHttp.Retry.IDEMPOTENT);
      answer = true;
    } catch (RegistryRequestException e) {
      if (e instanceof RegistryAccessDeniedException || !(e.status() == 404 || e.status() == 405)) {
        throw e;
      }
      answer = false;
    } catch (RegistryUnavailableException e) {
      if (e.status() != 501) {
        throw e;
      }
      answer = false;
    }
    supported = answer;
    return answer;
  }

  /**
   * Creates a logged model (status PENDING) in {@code experimentId}, produced by {@code
   * sourceRunId}. Not retried: a retry after a lost answer would create a second model.
   */
  public LoggedModel create(
      String experimentId,
      String name,
      String sourceRunId,
      String modelType,
      Map<String, String> params,
      Map<String, String> tags) {
    var paramList = MlflowTracking.keyValues(params);
    var body = new LinkedHashMap<String, Object>();
    body.put("experiment_id", experimentId);
    body.put("name", name);
    body.put("model_type", modelType);
    if (sourceRunId != null && !sourceRunId.isEmpty()) {
      body.put("source_run_id", sourceRunId);
    }
    // MLflow takes at most 100 params per request, in the create call as in later ones
    body.put("params", paramList.subList(0, Math.min(PARAMS_PER_CALL, paramList.size())));
    body.put("tags", MlflowTracking.keyValues(tags));
    var model = model(http.post(ENDPOINT, body, MlflowHttp.Retry.NEVER).path("model"));
    if (paramList.size() > PARAMS_PER_CALL) {
      for (int i = PARAMS_PER_CALL; i < paramList.size(); i += PARAMS_PER_CALL) {
        var batch = paramList.subList(i, Math.min(i + PARAMS_PER_CALL, paramList.size()));
        http.post(
            ENDPOINT + "/" + model.modelId() + "/params",
            Map.of("model_id", model.modelId(), "params", batch),
            MlflowHttp.Retry.IDEMPOTENT);
      }
      return get(model.modelId());
    }
    return model;
  }

  public LoggedModel get(String modelId) {
    return model(http.get(ENDPOINT + "/" + modelId, Map.of()).path("model"));
  }

  /** Sets the final status: READY once every file is stored, UPLOAD_FAILED when not. */
  public LoggedModel finish(String modelId, LoggedModelStatus status) {
    return model(
        http.patch(
                ENDPOINT + "/" + modelId,
                Map.of("model_id", modelId, "status", status.wireName()),
                MlflowHttp.Retry.IDEMPOTENT)
            .path("model"));
  }

  /**
   * Records the model as an output of the run (at {@code step}), as MLflow's own {@code log_model}
   * does, so the run page lists it. Retried: a repeated link only shows the model twice.
   */
  public void linkToRun(String runId, String modelId, long step) {
    http.post(
        "runs/outputs",
        Map.of("run_id", runId, "models", List.of(Map.of("model_id", modelId, "step", step))),
        MlflowHttp.Retry.IDEMPOTENT);
  }

  /**
   * Logs {@code metrics} (the run's values: same key, value, timestamp and step, so the run's own
   * history gains nothing) again with the model's id, and the dataset they were computed on when
   * there is one: MLflow then lists them as the model's metrics. Retried: MLflow skips a run metric
   * point logged twice.
   */
  public void logMetrics(
      String runId, String modelId, Optional<Dataset> dataset, Collection<Metric> metrics) {
    var all = new ArrayList<>(metrics);
    for (int i = 0; i < all.size(); i += RunBatch.MAX_METRICS_PER_CALL) {
      var chunk = new ArrayList<Map<String, Object>>();
      for (var m : all.subList(i, Math.min(i + RunBatch.MAX_METRICS_PER_CALL, all.size()))) {
        var metric = new LinkedHashMap<String, Object>();
        metric.put("key", m.key());
        metric.put("value", MlflowTracking.metricValue(m.value()));
        metric.put("timestamp", m.timestamp());
        metric.put("step", m.step());
        metric.put("model_id", modelId);
        dataset.ifPresent(
            d -> {
              metric.put("dataset_name", d.name());
              metric.put("dataset_digest", d.digest());
            });
        chunk.add(metric);
      }
      http.post(
          "runs/log-batch",
          Map.of("run_id", runId, "metrics", chunk, "params", List.of(), "tags", List.of()),
          MlflowHttp.Retry.IDEMPOTENT);
    }
  }

  /** The logged models {@code runId} produced in {@code experimentId}, any status. */
  public List<LoggedModel> ofRun(String experimentId, String runId) {
    if (!runId.matches("[0-9A-Za-z_-]+")) {
      throw new IllegalArgumentException("not a run id: " + runId);
    }
    var result = new ArrayList<LoggedModel>();
    String pageToken = null;
    do {
      var body = new LinkedHashMap<String, Object>();
      body.put("experiment_ids", List.of(experimentId));
      body.put("filter", "source_run_id = '" + runId + "'");
      body.put("max_results", 100);
      if (pageToken != null) {
        body.put("page_token", pageToken);
      }
      var page = http.post(ENDPOINT + "/search", body, MlflowHttp.Retry.IDEMPOTENT);
      page.path("models").forEach(m -> result.add(model(m)));
      pageToken = page.path("next_page_token").asText("");
    } while (!pageToken.isEmpty());
    return result;
  }

  /** The metrics MLflow lists for a logged model (with their dataset). */
  public List<LinkedMetric> metrics(String modelId) {
    var out = new ArrayList<LinkedMetric>();
    http.get(ENDPOINT + "/" + modelId, Map.of())
        .path("model")
        .path("data")
        .path("metrics")
        .forEach(
            m ->
                out.add(
                    new LinkedMetric(
                        MlflowTracking.metric(m),
                        m.path("dataset_name").asText(""),
                        m.path("dataset_digest").asText(""),
                        m.path("run_id").asText(""))));
    return out;
  }

  static LoggedModel model(JsonNode model) {
    var info = model.path("info");
    return new LoggedModel(
        info.path("model_id").asText(),
        info.path("experiment_id").asText(),
        info.path("name").asText(""),
        info.path("artifact_uri").asText(""),
        LoggedModelStatus.fromWire(info.path("status").asText("")),
        info.path("source_run_id").asText(""),
        info.path("model_type").asText(""),
        MlflowTracking.keyValueMap(info.path("tags")),
        MlflowTracking.keyValueMap(model.path("data").path("params")));
  }
}
