package dev.almanac.operator.registry;

import dev.almanac.operator.metrics.AlmanacMetrics;
import dev.almanac.registry.ArtifactIntegrityException;
import dev.almanac.registry.MlflowModelRegistry;
import dev.almanac.registry.ModelRegistry;
import dev.almanac.registry.ModelVersionInfo;
import dev.almanac.registry.RegistryException;
import dev.almanac.registry.RegistryUnavailableException;
import dev.almanac.registry.ResourceNotFoundException;
import dev.almanac.registry.Stage;
import dev.almanac.registry.StagesUnsupportedException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link ModelRegistryPort} on the registry module's MLflow client. Translates the registry's typed
 * exceptions: not found becomes {@link Optional#empty()}, an unreachable server stays a {@link
 * RegistryUnavailableException} naming the call (retried with backoff); each failed call is counted
 * in {@code almanac_registry_errors_total}.
 */
public final class MlflowRegistryPort implements ModelRegistryPort {
  private final MlflowModelRegistry registry;
  private final AlmanacMetrics metrics;
  private final Map<String, Optional<String>> servingProblems =
      java.util.Collections.synchronizedMap(
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
              return size() > 256;
            }
          });

  public MlflowRegistryPort(MlflowModelRegistry registry, AlmanacMetrics metrics) {
    this.registry = registry;
    this.metrics = metrics;
  }

  @Override
  public Optional<VersionInfo> version(String model, String version) {
    return find("get_version", () -> registry.getVersion(model, version));
  }

  @Override
  public Optional<VersionInfo> byAlias(String model, String alias) {
    return find("get_alias", () -> registry.versionByAlias(model, alias));
  }

  @Override
  public Optional<VersionInfo> latestInStage(String model, String stage) {
    var wanted = Stage.parse(stage);
    return call(
        "latest_versions",
        () -> {
          try {
            return registry.latestVersions(model).stream()
                .filter(v -> v.stage() == wanted)
                .findFirst()
                .map(MlflowRegistryPort::info);
          } catch (ResourceNotFoundException e) {
            return Optional.<VersionInfo>empty();
          }
        });
  }

  @Override
  public void transitionStage(String model, String version, String stage, boolean archiveExisting) {
    call(
        "transition_stage",
        () -> registry.transitionStage(model, version, Stage.parse(stage), archiveExisting));
  }

  @Override
  public void setAlias(String model, String alias, String version) {
    call(
        "set_alias",
        () -> {
          registry.setAlias(model, alias, version);
          return null;
        });
  }

  @Override
  public void setTag(String model, String version, String key, String value) {
    call(
        "set_tag",
        () -> {
          registry.setVersionTag(model, version, key, value);
          return null;
        });
  }

  @Override
  public Optional<String> servingProblem(VersionInfo version) {
    // versions are immutable: one MLmodel read per version (and source, in case a rebuilt
    // registry reuses a number), not one per reconcile
    var key = version.name() + "/" + version.version() + "/" + version.source();
    var known = servingProblems.get(key);
    if (known != null) {
      return known;
    }
    var what = "version " + version.version() + " of " + version.name();
    Optional<String> problem;
    try {
      var mlmodel = registry.mlmodel(version.name(), version.version());
      problem =
          mlmodel.hasOnnxFlavor()
              ? Optional.empty()
              : Optional.of(mlmodel.noOnnxFlavor(what).getMessage());
    } catch (ArtifactIntegrityException e) {
      problem = Optional.of(e.getMessage());
    } catch (RegistryException e) {
      // No verdict (MLflow could not hand the file over, e.g. answered 500 for a missing one): the
      // server's own load check decides; ask again next time.
      return Optional.empty();
    }
    servingProblems.put(key, problem);
    return problem;
  }

  private Optional<VersionInfo> find(String operation, Supplier<ModelVersionInfo> lookup) {
    return call(
        operation,
        () -> {
          try {
            return Optional.of(info(lookup.get()));
          } catch (ResourceNotFoundException e) {
            return Optional.<VersionInfo>empty();
          }
        });
  }

  private <T> T call(String operation, Supplier<T> body) {
    try {
      return body.get();
    } catch (RegistryUnavailableException e) {
      metrics.registryError(operation);
      throw new RegistryUnavailableException(
          "MLflow " + operation + ": " + e.getMessage(), e.status(), e);
    } catch (StagesUnsupportedException e) {
      // an answer about the registry, not a failure of it: not counted as an error
      throw new StagesRefusedException(e.getMessage(), e);
    } catch (RegistryException e) {
      metrics.registryError(operation);
      throw e;
    }
  }

  static VersionInfo info(ModelVersionInfo v) {
    return new VersionInfo(
        v.name(),
        v.version(),
        v.stage().mlflowName(),
        v.aliases(),
        v.tags(),
        v.runId(),
        v.source(),
        v.status() == null ? "" : v.status().name());
  }

  /** Visible for callers that hold the facade. */
  public ModelRegistry registry() {
    return registry;
  }
}
