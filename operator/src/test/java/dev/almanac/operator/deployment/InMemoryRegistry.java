package dev.almanac.operator.deployment;

import dev.almanac.operator.registry.ModelRegistryPort;
import dev.almanac.registry.RegistryUnavailableException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** A registry in memory for reconciler tests: versions, aliases, stages, and an outage switch. */
final class InMemoryRegistry implements ModelRegistryPort {
  private final Map<String, Map<String, String>> stages =
      new ConcurrentHashMap<>(); // model -> version -> stage
  private final Map<String, Map<String, String>> aliases =
      new ConcurrentHashMap<>(); // model -> alias -> version
  final AtomicBoolean down = new AtomicBoolean();

  InMemoryRegistry register(String model, String... versions) {
    for (var v : versions) {
      stages.computeIfAbsent(model, m -> new ConcurrentHashMap<>()).put(v, "None");
    }
    return this;
  }

  @Override
  public Optional<VersionInfo> version(String model, String version) {
    check();
    return Optional.ofNullable(stages.getOrDefault(model, Map.of()).get(version))
        .map(s -> info(model, version));
  }

  @Override
  public Optional<VersionInfo> byAlias(String model, String alias) {
    check();
    return Optional.ofNullable(aliases.getOrDefault(model, Map.of()).get(alias))
        .map(v -> info(model, v));
  }

  @Override
  public Optional<VersionInfo> latestInStage(String model, String stage) {
    check();
    return stages.getOrDefault(model, Map.of()).entrySet().stream()
        .filter(e -> e.getValue().equals(stage))
        .map(Map.Entry::getKey)
        .max((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)))
        .map(v -> info(model, v));
  }

  @Override
  public void transitionStage(String model, String version, String stage, boolean archiveExisting) {
    check();
    var versions = stages.get(model);
    if (archiveExisting) {
      versions.replaceAll((v, s) -> s.equals(stage) ? "Archived" : s);
    }
    versions.put(version, stage);
  }

  @Override
  public void setAlias(String model, String alias, String version) {
    check();
    aliases.computeIfAbsent(model, m -> new ConcurrentHashMap<>()).put(alias, version);
  }

  void deleteAlias(String model, String alias) {
    aliases.getOrDefault(model, new ConcurrentHashMap<>()).remove(alias);
  }

  @Override
  public void setTag(String model, String version, String key, String value) {
    check();
  }

  private VersionInfo info(String model, String version) {
    var aliasesOf =
        aliases.getOrDefault(model, Map.of()).entrySet().stream()
            .filter(e -> e.getValue().equals(version))
            .map(Map.Entry::getKey)
            .toList();
    return new VersionInfo(
        model,
        version,
        stages.get(model).get(version),
        List.copyOf(aliasesOf),
        Map.of(),
        "run-" + version,
        "s3://models/" + model + "/" + version,
        "READY");
  }

  private void check() {
    if (down.get()) {
      throw new RegistryUnavailableException("connection refused (test outage)", 0, null);
    }
  }
}
