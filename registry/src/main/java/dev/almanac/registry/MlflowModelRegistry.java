package dev.almanac.registry;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link ModelRegistry} on MLflow's model registry REST API 2.0, plus the writes the trainer needs
 * (registered models, versions). Aliases and stages are both supported; aliases are the primary
 * mechanism (stages are deprecated by MLflow but still honoured).
 */
public final class MlflowModelRegistry implements ModelRegistry {
  private static final Duration READY_POLL = Duration.ofMillis(200);

  private final MlflowHttp http;

  public MlflowModelRegistry(MlflowHttp http) {
    this.http = http;
  }

  /** Creates a registered model; true if created, false if it already existed (not an error). */
  public boolean createRegisteredModel(String name, String description) {
    var body = new LinkedHashMap<String, Object>();
    body.put("name", name);
    if (description != null && !description.isEmpty()) {
      body.put("description", description);
    }
    try {
      http.post("registered-models/create", body, MlflowHttp.Retry.IDEMPOTENT);
      return true;
    } catch (RegistryRequestException e) {
      if ("RESOURCE_ALREADY_EXISTS".equals(e.errorCode())) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Registers a new version of {@code name} whose files are at {@code source} (e.g. the run's
   * artifact URI + "/model"). Not retried: a retry after a lost answer could register two versions.
   */
  public ModelVersionInfo createVersion(
      String name, String source, String runId, Map<String, String> tags, String description) {
    return createVersion(name, source, runId, tags, description, null);
  }

  /**
   * Registers a new version from an MLflow 3 logged model: {@code source} is {@code
   * models:/<modelId>}, as MLflow's own {@code register_model} does, and {@code modelId} links the
   * version to it (null or empty: a version without one). Not retried.
   */
  public ModelVersionInfo createVersion(
      String name,
      String source,
      String runId,
      Map<String, String> tags,
      String description,
      String modelId) {
    var body = new LinkedHashMap<String, Object>();
    body.put("name", name);
    body.put("source", source);
    if (runId != null && !runId.isEmpty()) {
      body.put("run_id", runId);
    }
    if (modelId != null && !modelId.isEmpty()) {
      body.put("model_id", modelId);
    }
    body.put("tags", MlflowTracking.keyValues(tags));
    if (description != null && !description.isEmpty()) {
      body.put("description", description);
    }
    return version(
        http.post("model-versions/create", body, MlflowHttp.Retry.NEVER).path("model_version"));
  }

  /** Polls until the version is READY; FAILED_REGISTRATION or the timeout throw. */
  public ModelVersionInfo awaitReady(String name, String version, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      var v = getVersion(name, version);
      if (v.status() == ModelVersionStatus.READY) {
        return v;
      }
      if (v.status() == ModelVersionStatus.FAILED_REGISTRATION) {
        throw new RegistryException(
            "model version " + name + "/" + version + " failed registration");
      }
      if (System.nanoTime() > deadline) {
        throw new RegistryException(
            "model version "
                + name
                + "/"
                + version
                + " still "
                + v.status()
                + " after "
                + timeout.toSeconds()
                + " s");
      }
      try {
        Thread.sleep(READY_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException("interrupted waiting for " + name + "/" + version, e);
      }
    }
  }

  @Override
  public ModelVersionInfo resolve(ModelUri uri) {
    if (uri instanceof ModelUri.Version v) {
      return getVersion(v.name(), Long.toString(v.version()));
    }
    if (uri instanceof ModelUri.Alias a) {
      return versionByAlias(a.name(), a.alias());
    }
    if (uri instanceof ModelUri.StageRef s) {
      var inStage = latestIn(s.name(), List.of(s.stage().mlflowName()));
      var newest =
          inStage.stream()
              .max(Comparator.comparingLong(ModelVersionInfo::versionNumber))
              .orElseThrow(
                  () ->
                      new ResourceNotFoundException(
                          "no version of model '"
                              + s.name()
                              + "' is in stage "
                              + s.stage().mlflowName()
                              + " ("
                              + uri
                              + ")",
                          404,
                          "RESOURCE_DOES_NOT_EXIST",
                          ""));
      return getVersion(newest.name(), newest.version());
    }
    var latest = (ModelUri.Latest) uri;
    // search, not get-latest-versions: that is a stage call, refused by registries without stages
    var newest =
        searchVersions("name=" + quote(latest.name())).stream()
            .max(Comparator.comparingLong(ModelVersionInfo::versionNumber))
            .orElseThrow(
                () ->
                    new ResourceNotFoundException(
                        "model '" + latest.name() + "' has no versions (" + uri + ")",
                        404,
                        "RESOURCE_DOES_NOT_EXIST",
                        ""));
    return getVersion(newest.name(), newest.version());
  }

  @Override
  public ModelVersionInfo getVersion(String name, String version) {
    return version(
        http.get("model-versions/get", Map.of("name", name, "version", version))
            .path("model_version"));
  }

  /** The version an alias points at. */
  public ModelVersionInfo versionByAlias(String name, String alias) {
    try {
      return version(
          http.get("registered-models/alias", Map.of("name", name, "alias", alias))
              .path("model_version"));
    } catch (RegistryRequestException e) {
      // MLflow answers a missing alias with 400 INVALID_PARAMETER_VALUE "... alias X not found."
      if (!(e instanceof ResourceNotFoundException) && e.serverMessage().contains("not found")) {
        throw new ResourceNotFoundException(
            "model '" + name + "' has no alias '" + alias + "'",
            e.status(),
            e.errorCode(),
            e.serverMessage());
      }
      throw e;
    }
  }

  @Override
  public List<ModelVersionInfo> versions(String name) {
    var aliases = aliasesByVersion(name);
    var result = new ArrayList<ModelVersionInfo>();
    for (var v : searchVersions("name=" + quote(name))) {
      result.add(withAliases(v, aliases));
    }
    result.sort(Comparator.comparingLong(ModelVersionInfo::versionNumber).reversed());
    return result;
  }

  /**
   * Versions matching an MLflow search filter, e.g. {@code name='covid' and
   * tags.`almanac.dev/pipeline`='p1'}. MLflow's search leaves out aliases: use {@link
   * #versions(String)} or {@link #getVersion} for them.
   */
  public List<ModelVersionInfo> searchVersions(String filter) {
    var result = new ArrayList<ModelVersionInfo>();
    String pageToken = null;
    do {
      var query = new LinkedHashMap<String, String>();
      query.put("filter", filter);
      query.put("max_results", "1000");
      if (pageToken != null) {
        query.put("page_token", pageToken);
      }
      var page = http.get("model-versions/search", query);
      page.path("model_versions").forEach(v -> result.add(version(v)));
      pageToken = page.path("next_page_token").asText("");
    } while (!pageToken.isEmpty());
    return result;
  }

  @Override
  public List<ModelVersionInfo> latestVersions(String name) {
    var aliases = aliasesByVersion(name);
    return latestIn(name, List.of()).stream().map(v -> withAliases(v, aliases)).toList();
  }

  @Override
  public ModelVersionInfo transitionStage(
      String name, String version, Stage stage, boolean archiveExisting) {
    try {
      http.post(
          "model-versions/transition-stage",
          Map.of(
              "name",
              name,
              "version",
              version,
              "stage",
              stage.mlflowName(),
              "archive_existing_versions",
              archiveExisting),
          MlflowHttp.Retry.IDEMPOTENT);
    } catch (RegistryRequestException e) {
      throw stageRefusal(
          e, "cannot move " + name + " version " + version + " to " + stage.mlflowName());
    }
    return getVersion(name, version);
  }

  @Override
  public void setAlias(String name, String alias, String version) {
    http.post(
        "registered-models/alias",
        Map.of("name", name, "alias", alias, "version", version),
        MlflowHttp.Retry.IDEMPOTENT);
  }

  @Override
  public void deleteAlias(String name, String alias) {
    http.delete("registered-models/alias", Map.of("name", name, "alias", alias));
  }

  @Override
  public void setVersionTag(String name, String version, String key, String value) {
    http.post(
        "model-versions/set-tag",
        Map.of("name", name, "version", version, "key", key, "value", value),
        MlflowHttp.Retry.IDEMPOTENT);
  }

  public void deleteVersionTag(String name, String version, String key) {
    http.delete("model-versions/delete-tag", Map.of("name", name, "version", version, "key", key));
  }

  @Override
  public String downloadUri(String name, String version) {
    return http.get("model-versions/get-download-uri", Map.of("name", name, "version", version))
        .path("artifact_uri")
        .asText();
  }

  /**
   * The {@code MLmodel} of a version, read through the tracking server (its {@code
   * /model-versions/get-artifact} route), so a caller without artifact-store credentials can tell
   * what the version is before anything downloads it. Asked once: MLflow answers a missing file
   * with HTTP 500, which retries would only repeat.
   */
  public MlflowModelMetadata mlmodel(String name, String version) {
    var text =
        http.getText(
            "/model-versions/get-artifact",
            Map.of("name", name, "version", version, "path", MlflowModelMetadata.FILE),
            MlflowHttp.Retry.NEVER);
    return MlflowModelMetadata.parse(text, "MLmodel of version " + version + " of " + name);
  }

  /** Aliases of a registered model: alias → version. */
  public Map<String, String> aliases(String name) {
    var map = new LinkedHashMap<String, String>();
    http.get("registered-models/get", Map.of("name", name))
        .path("registered_model")
        .path("aliases")
        .forEach(a -> map.put(a.path("alias").asText(), a.path("version").asText()));
    return map;
  }

  public Optional<ModelVersionInfo> findVersion(String name, String version) {
    try {
      return Optional.of(getVersion(name, version));
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    }
  }

  private List<ModelVersionInfo> latestIn(String name, List<String> stages) {
    var body = new LinkedHashMap<String, Object>();
    body.put("name", name);
    if (!stages.isEmpty()) {
      body.put("stages", stages);
    }
    JsonNode response;
    try {
      // a read, despite the POST
      response =
          http.post("registered-models/get-latest-versions", body, MlflowHttp.Retry.IDEMPOTENT);
    } catch (RegistryRequestException e) {
      throw stageRefusal(e, "cannot list the versions of " + name + " by stage");
    }
    var result = new ArrayList<ModelVersionInfo>();
    response.path("model_versions").forEach(v -> result.add(version(v)));
    return result;
  }

  /** A refused stage call as {@link StagesUnsupportedException}; any other refusal unchanged. */
  private static RegistryRequestException stageRefusal(RegistryRequestException e, String what) {
    if (!StagesUnsupportedException.isRefusal(e)) {
      return e;
    }
    return new StagesUnsupportedException(
        what + ": the registry does not support stages (" + e.getMessage() + "); use an alias", e);
  }

  private Map<String, List<String>> aliasesByVersion(String name) {
    var byVersion = new HashMap<String, List<String>>();
    aliases(name)
        .forEach(
            (alias, version) ->
                byVersion.computeIfAbsent(version, v -> new ArrayList<>()).add(alias));
    return byVersion;
  }

  private static ModelVersionInfo withAliases(
      ModelVersionInfo v, Map<String, List<String>> aliases) {
    return v.withAliases(aliases.getOrDefault(v.version(), List.of()));
  }

  static ModelVersionInfo version(JsonNode v) {
    var aliases = new ArrayList<String>();
    v.path("aliases").forEach(a -> aliases.add(a.asText()));
    return new ModelVersionInfo(
        v.path("name").asText(),
        v.path("version").asText(),
        Stage.fromMlflow(v.path("current_stage").asText("None")),
        aliases,
        v.path("source").asText(""),
        v.path("run_id").asText(""),
        MlflowTracking.keyValueMap(v.path("tags")),
        ModelVersionStatus.valueOf(v.path("status").asText("READY")),
        modelId(v));
  }

  /**
   * The logged model a version was registered from: its {@code model_id} where the server records
   * one, else the id in a {@code models:/<model id>} source (MLflow 3.x's own SQL registry keeps
   * only the source, and tags the logged model with the version instead).
   */
  static String modelId(JsonNode v) {
    var recorded = v.path("model_id").asText("");
    if (!recorded.isEmpty()) {
      return recorded;
    }
    var source = v.path("source").asText("");
    var prefix = "models:/";
    if (source.startsWith(prefix)) {
      var rest = source.substring(prefix.length());
      // models:/<name>/<version> and models:/<name>@<alias> name registered versions, not models
      if (!rest.isEmpty() && !rest.contains("/") && !rest.contains("@")) {
        return rest;
      }
    }
    return "";
  }

  private static String quote(String name) {
    if (!name.contains("'")) {
      return "'" + name + "'";
    }
    if (!name.contains("\"")) {
      return "\"" + name + "\"";
    }
    throw new IllegalArgumentException(
        "model name " + name + " contains both quote characters; MLflow cannot search it");
  }
}
