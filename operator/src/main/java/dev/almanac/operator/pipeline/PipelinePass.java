package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineStatus;
import dev.almanac.api.v1alpha1.pipeline.PromotionMode;
import dev.almanac.api.v1alpha1.pipeline.PromotionRecord;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunRecord;
import dev.almanac.operator.registry.ModelRegistryPort;
import dev.almanac.operator.registry.RegistryPorts;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The state of one reconcile pass of a ForecastPipeline: the next status being built, its run list,
 * the owned Jobs, and what the steps found out for later steps (a run waits, the trainer rejected the
 * spec, a promotion failed). Mutable on purpose: the steps ({@link RunObserver}, {@link PromotionVerbs},
 * {@link RunLauncher}, {@link RunHistory}, {@link PipelineConditions}) each edit it in turn. Events,
 * metrics and listener calls are queued in {@link #announcements} and only run once the pass succeeded.
 */
final class PipelinePass {
  final ForecastPipeline fp;
  final String namespace;
  final String name;
  final Instant now;
  final Optional<RunSchedule> schedule;
  final ForecastPipelineStatus status;
  final List<RunRecord> runs;
  final Map<String, Job> jobs = new HashMap<>();
  final List<String> handled = new ArrayList<>();
  final List<Runnable> announcements = new ArrayList<>();
  /** Why the due run was not started (concurrencyPolicy Forbid), for the Scheduled condition. */
  String waiting;
  /** The trainer's verdict that the spec is invalid, for the Ready condition. */
  String invalidFromRun;
  /** The message of a failed promote/rollback verb, for the Promoted condition. */
  String lastPromotionFailure;
  /** A SpecChange run waits: the generation is not observed until it starts. */
  boolean specRunDeferred;

  private final RegistryPorts registries;
  private final int promotionsHistory;
  private ModelRegistryPort registry;

  PipelinePass(ForecastPipeline fp, Collection<Job> ownedJobs, Instant now, ForecastPipelineStatus status,
      Optional<RunSchedule> schedule, RegistryPorts registries, int promotionsHistory) {
    this.fp = fp;
    this.namespace = fp.getMetadata().getNamespace();
    this.name = fp.getMetadata().getName();
    this.now = now;
    this.status = status;
    this.runs = status.getRuns() == null ? new ArrayList<>() : new ArrayList<>(status.getRuns());
    this.schedule = schedule;
    this.registries = registries;
    this.promotionsHistory = promotionsHistory;
    ownedJobs.forEach(j -> jobs.put(j.getMetadata().getName(), j));
  }

  /** Looked up once per pass, and only when a step needs MLflow. */
  ModelRegistryPort registry() {
    if (registry == null) {
      registry = registries.forSpec(namespace, fp.getSpec().getMlflow());
    }
    return registry;
  }

  String productionVersion() {
    if (status.getProductionVersion() != null) {
      return status.getProductionVersion();
    }
    var model = fp.getSpec().getMlflow().getRegisteredModel();
    return registry().byAlias(model, Promoter.alias(fp)).map(ModelRegistryPort.VersionInfo::version).orElse(null);
  }

  PromotionMode mode() {
    var p = fp.getSpec().getPromotion();
    return p == null || p.getMode() == null ? PromotionMode.Automatic : p.getMode();
  }

  boolean suspended() {
    return Boolean.TRUE.equals(fp.getSpec().getSuspend());
  }

  Optional<String> annotation(String key) {
    var annotations = fp.getMetadata().getAnnotations();
    return Optional.ofNullable(annotations == null ? null : annotations.get(key)).map(String::trim).filter(s -> !s.isEmpty());
  }

  Optional<RunRecord> find(String runName) {
    return runs.stream().filter(r -> runName.equals(r.getName())).findFirst();
  }

  List<RunRecord> activeRuns() {
    return runs.stream().filter(PipelinePass::active).toList();
  }

  PromotionRecord decision(String version, String from, String to, String reason) {
    var record = new PromotionRecord();
    record.setVersion(version);
    record.setFrom(from);
    record.setTo(to);
    record.setTime(now.toString());
    record.setReason(reason);
    return record;
  }

  /** Newest first, capped at the configured history. */
  void addPromotion(PromotionRecord record) {
    var list = new ArrayList<PromotionRecord>();
    list.add(record);
    if (status.getPromotions() != null) {
      list.addAll(status.getPromotions());
    }
    status.setPromotions(List.copyOf(list.subList(0, Math.min(list.size(), promotionsHistory))));
  }

  static boolean active(RunRecord r) {
    return r.getPhase() == RunPhase.Pending || r.getPhase() == RunPhase.Running;
  }
}
