package dev.almanac.operator.pipeline;

import dev.almanac.operator.registry.ModelRegistryPort;
import dev.almanac.operator.registry.StagesRefusedException;
import dev.almanac.registry.RegistryUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An in-memory registry for reconciler logic tests: stages, aliases, a call log and an outage
 * switch.
 */
final class FakeRegistry implements ModelRegistryPort {
  final Map<String, String> stages = new ConcurrentHashMap<>(); // version -> stage (one model)
  final Map<String, String> aliases = new ConcurrentHashMap<>(); // alias -> version
  final List<String> calls = new ArrayList<>();
  final AtomicBoolean down = new AtomicBoolean();

  /** Fail only the alias move (after the stage moved): a half-done promotion. */
  final AtomicBoolean aliasDown = new AtomicBoolean();

  /** A registry without stages (Unity Catalog-style): stage calls are refused. */
  final AtomicBoolean noStages = new AtomicBoolean();

  final Map<String, String> tags = new ConcurrentHashMap<>(); // "version key" -> value

  FakeRegistry withVersion(String version, String stage) {
    stages.put(version, stage);
    return this;
  }

  @Override
  public synchronized Optional<VersionInfo> version(String model, String version) {
    check();
    return Optional.ofNullable(stages.get(version)).map(s -> info(model, version));
  }

  @Override
  public synchronized Optional<VersionInfo> byAlias(String model, String alias) {
    check();
    return Optional.ofNullable(aliases.get(alias)).map(v -> info(model, v));
  }

  @Override
  public synchronized Optional<VersionInfo> latestInStage(String model, String stage) {
    check();
    refuseStages();
    return stages.entrySet().stream()
        .filter(e -> e.getValue().equals(stage))
        .map(Map.Entry::getKey)
        .max((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)))
        .map(v -> info(model, v));
  }

  @Override
  public synchronized void transitionStage(
      String model, String version, String stage, boolean archiveExisting) {
    check();
    refuseStages();
    if (archiveExisting) {
      stages.replaceAll((v, s) -> s.equals(stage) && !v.equals(version) ? "Archived" : s);
    }
    stages.put(version, stage);
    calls.add("stage " + version + " " + stage);
  }

  @Override
  public synchronized void setAlias(String model, String alias, String version) {
    check();
    if (aliasDown.get()) {
      throw new RegistryUnavailableException("connection refused (alias)", 0, null);
    }
    aliases.put(alias, version);
    calls.add("alias " + alias + " " + version);
  }

  @Override
  public synchronized void setTag(String model, String version, String key, String value) {
    check();
    tags.put(version + " " + key, value);
  }

  private void refuseStages() {
    if (noStages.get()) {
      calls.add("stage refused");
      throw new StagesRefusedException("the registry does not support stages", null);
    }
  }

  private void check() {
    if (down.get()) {
      throw new RegistryUnavailableException("connection refused", 0, null);
    }
  }

  private VersionInfo info(String model, String version) {
    var aliasList =
        aliases.entrySet().stream()
            .filter(e -> e.getValue().equals(version))
            .map(Map.Entry::getKey)
            .toList();
    return new VersionInfo(
        model,
        version,
        stages.get(version),
        aliasList,
        Map.of(),
        "run-" + version,
        "s3://b/" + version,
        "READY");
  }
}
