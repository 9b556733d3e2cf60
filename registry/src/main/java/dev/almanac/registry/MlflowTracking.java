package dev.almanac.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * MLflow tracking over REST: experiments, runs, params/metrics/tags (batched within MLflow's
 * limits) and dataset inputs.
 */
public final class MlflowTracking {
  private final MlflowHttp http;

  public MlflowTracking(MlflowHttp http) {
    this.http = http;
  }

  /** The transport, for the other clients of the same server ({@link MlflowLoggedModels}). */
  MlflowHttp http() {
    return http;
  }

  public Optional<Experiment> findExperiment(String name) {
    try {
      return Optional.of(
          experiment(
              http.get("experiments/get-by-name", Map.of("experiment_name", name))
                  .path("experiment")));
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    }
  }

  /** Where experiments that Almanac creates keep artifacts on a server that proxies them. */
  public static final String PROXIED_ROOT = "mlflow-artifacts:/almanac/";

  /**
   * Whether the server proxies artifacts ({@code mlflow server --serve-artifacts}, the default
   * since MLflow 2.0): then {@code mlflow-artifacts:} locations work, and clients read models
   * through the tracking server with no credentials for the store behind it.
   */
  public boolean proxiesArtifacts() {
    try {
      http.listArtifacts(null, "");
      return true;
    } catch (RegistryRequestException e) {
      return false; // 404: a tracking server without the artifacts API
    } catch (RegistryUnavailableException e) {
      if (e.status() == 501 || e.status() == 503) {
        return false; // "--no-serve-artifacts": the endpoint is disabled
      }
      throw e;
    }
  }

  /**
   * The experiment named {@code name}; if missing, created where its artifacts are readable through
   * MLflow ({@code mlflow-artifacts:/almanac/<name>}) when the server proxies artifacts, else under
   * the server's default root (typically {@code s3://}, written to directly).
   */
  public Experiment getOrCreateReadableExperiment(String name) {
    var existing = findExperiment(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    return getOrCreateExperiment(
        name, proxiesArtifacts() ? PROXIED_ROOT + name.replaceAll("[^A-Za-z0-9._/-]", "_") : null);
  }

  /**
   * The experiment named {@code name}, created with the server's default artifact root if missing.
   */
  public Experiment getOrCreateExperiment(String name) {
    return getOrCreateExperiment(name, null);
  }

  /**
   * The experiment named {@code name}, created if missing with {@code artifactLocation} (null: the
   * server's default root). An existing experiment keeps its location.
   */
  public Experiment getOrCreateExperiment(String name, String artifactLocation) {
    var existing = findExperiment(name);
    if (existing.isPresent()) {
      return existing.get();
    }
    var body = new LinkedHashMap<String, Object>();
    body.put("name", name);
    if (artifactLocation != null) {
      body.put("artifact_location", artifactLocation);
    }
    try {
      http.post("experiments/create", body, MlflowHttp.Retry.IDEMPOTENT);
    } catch (RegistryRequestException e) {
      // another process created it between our read and our create: theirs is as good as ours
      if (!"RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
        throw e;
      }
    }
    return findExperiment(name)
        .orElseThrow(
            () ->
                new RegistryException(
                    "experiment '" + name + "' was created but cannot be read back"));
  }

  /**
   * Starts a run (status RUNNING). Not retried: a retry after a lost answer would start two runs.
   */
  public RunInfo startRun(String experimentId, String runName, Map<String, String> tags) {
    var body = new LinkedHashMap<String, Object>();
    body.put("experiment_id", experimentId);
    body.put("start_time", System.currentTimeMillis());
    if (runName != null) {
      body.put("run_name", runName);
    }
    body.put("tags", keyValues(tags));
    return runInfo(http.post("runs/create", body, MlflowHttp.Retry.NEVER).path("run").path("info"));
  }

  /** Ends a run with {@code status} (FINISHED, FAILED or KILLED) and the current time. */
  public void endRun(String runId, RunStatus status) {
    http.post(
        "runs/update",
        Map.of("run_id", runId, "status", status.name(), "end_time", System.currentTimeMillis()),
        MlflowHttp.Retry.IDEMPOTENT);
  }

  public void logParam(String runId, String key, String value) {
    log(runId, RunBatch.params(Map.of(key, value)));
  }

  public void logMetric(String runId, String key, double value, long step) {
    log(runId, RunBatch.metrics(List.of(Metric.of(key, value, step))));
  }

  public void setTag(String runId, String key, String value) {
    log(runId, RunBatch.tags(Map.of(key, value)));
  }

  /**
   * Logs everything in {@code batch}, in as many {@code log-batch} calls as MLflow's limits need.
   * Validated first. Retried: MLflow ignores a param or tag logged again with the same value and a
   * metric point logged twice.
   */
  public void log(String runId, RunBatch batch) {
    batch.validate();
    for (var chunk : batch.split()) {
      var body = new LinkedHashMap<String, Object>();
      body.put("run_id", runId);
      body.put("params", keyValues(chunk.params()));
      body.put("tags", keyValues(chunk.tags()));
      var metrics = new ArrayList<Map<String, Object>>();
      for (var m : chunk.metrics()) {
        metrics.add(
            Map.of(
                "key",
                m.key(),
                "value",
                metricValue(m.value()),
                "timestamp",
                m.timestamp(),
                "step",
                m.step()));
      }
      body.put("metrics", metrics);
      http.post("runs/log-batch", body, MlflowHttp.Retry.IDEMPOTENT);
    }
  }

  /** Records the datasets a run used (lineage). MLflow dedupes a dataset by name and digest. */
  public void logInputs(String runId, List<DatasetInput> inputs) {
    var datasets = new ArrayList<Map<String, Object>>();
    for (var input : inputs) {
      var d = input.dataset();
      var dataset = new LinkedHashMap<String, Object>();
      dataset.put("name", d.name());
      dataset.put("digest", d.digest());
      dataset.put("source_type", d.sourceType());
      dataset.put("source", d.source());
      if (!d.schema().isEmpty()) {
        dataset.put("schema", d.schema());
      }
      if (!d.profile().isEmpty()) {
        dataset.put("profile", d.profile());
      }
      datasets.add(Map.of("tags", keyValues(input.tags()), "dataset", dataset));
    }
    http.post(
        "runs/log-inputs",
        Map.of("run_id", runId, "datasets", datasets),
        MlflowHttp.Retry.IDEMPOTENT);
  }

  public Run getRun(String runId) {
    var run = http.get("runs/get", Map.of("run_id", runId)).path("run");
    var data = run.path("data");
    var params = new HashMap<String, String>();
    data.path("params")
        .forEach(p -> params.put(p.path("key").asText(), p.path("value").asText("")));
    var metrics = new HashMap<String, Metric>();
    data.path("metrics").forEach(m -> metrics.put(m.path("key").asText(), metric(m)));
    var tags = keyValueMap(data.path("tags"));
    var inputs = new ArrayList<DatasetInput>();
    run.path("inputs")
        .path("dataset_inputs")
        .forEach(
            i -> {
              var d = i.path("dataset");
              inputs.add(
                  new DatasetInput(
                      new Dataset(
                          d.path("name").asText(),
                          d.path("digest").asText(),
                          d.path("source_type").asText(),
                          d.path("source").asText(),
                          d.path("schema").asText(""),
                          d.path("profile").asText("")),
                      keyValueMap(i.path("tags"))));
            });
    return new Run(runInfo(run.path("info")), params, metrics, tags, inputs);
  }

  /** Every logged point of one metric, in MLflow's order. */
  public List<Metric> metricHistory(String runId, String key) {
    var points = new ArrayList<Metric>();
    String pageToken = null;
    do {
      var query = new LinkedHashMap<String, String>();
      query.put("run_id", runId);
      query.put("metric_key", key);
      query.put("max_results", "25000");
      if (pageToken != null) {
        query.put("page_token", pageToken);
      }
      var page = http.get("metrics/get-history", query);
      page.path("metrics").forEach(m -> points.add(metric(m)));
      pageToken = page.path("next_page_token").asText("");
    } while (!pageToken.isEmpty());
    return points;
  }

  static Experiment experiment(JsonNode e) {
    return new Experiment(
        e.path("experiment_id").asText(),
        e.path("name").asText(),
        e.path("artifact_location").asText(""),
        e.path("lifecycle_stage").asText(""));
  }

  static RunInfo runInfo(JsonNode info) {
    var end = info.path("end_time");
    return new RunInfo(
        info.path("run_id").asText(),
        info.path("experiment_id").asText(),
        info.path("run_name").asText(""),
        RunStatus.valueOf(info.path("status").asText("RUNNING")),
        info.path("artifact_uri").asText(""),
        info.path("start_time").asLong(0),
        end.isMissingNode() || end.isNull() ? Optional.empty() : Optional.of(end.asLong()));
  }

  static Metric metric(JsonNode m) {
    var value = m.path("value");
    double v = value.isTextual() ? Double.parseDouble(value.asText()) : value.asDouble();
    return new Metric(
        m.path("key").asText(), v, m.path("timestamp").asLong(), m.path("step").asLong());
  }

  /** MLflow's JSON carries NaN and infinities as strings. */
  static Object metricValue(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (Double.isInfinite(value)) {
      return value > 0 ? "Infinity" : "-Infinity";
    }
    return value;
  }

  static List<Map<String, String>> keyValues(Map<String, String> map) {
    var list = new ArrayList<Map<String, String>>();
    map.forEach((k, v) -> list.add(Map.of("key", k, "value", v)));
    return list;
  }

  static Map<String, String> keyValueMap(JsonNode array) {
    var map = new LinkedHashMap<String, String>();
    array.forEach(kv -> map.put(kv.path("key").asText(), kv.path("value").asText("")));
    return map;
  }
}
