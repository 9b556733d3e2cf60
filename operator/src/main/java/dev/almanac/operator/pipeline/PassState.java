package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineStatus;
import dev.almanac.api.v1alpha1.pipeline.PromotionRecord;
import dev.almanac.api.v1alpha1.pipeline.RunDecision;
import dev.almanac.api.v1alpha1.pipeline.RunPhase;
import dev.almanac.api.v1alpha1.pipeline.RunRecord;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The status fields a pass works on, and what its steps found out, as one immutable value. A step
 * edits a {@link #toBuilder() copy}; run records it changes are cloned first, so an earlier state
 * never changes under a later step.
 *
 * @param runs the run history, newest first once pruned
 * @param promotions status.promotions, newest first
 * @param trainingSpecDigest digest of the training spec the latest spec-change or run-now run
 *     followed
 * @param findings what steps found for the steps and conditions after them
 * @param handledAnnotations verb annotations acted on: the reconciler removes them
 * @param announcements Events, metrics and listener calls, run once the pass succeeded
 */
record PassState(
    List<RunRecord> runs,
    String productionVersion,
    List<PromotionRecord> promotions,
    int consecutiveGateFailures,
    String lastScheduleTime,
    String lastSuccessfulTime,
    String nextScheduleTime,
    String trainingSpecDigest,
    Findings findings,
    List<String> handledAnnotations,
    List<Runnable> announcements) {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /**
   * @param trained runs of this pass that registered a version (ObserveRuns, for DecidePromotions)
   * @param specRejectedByTrainer the trainer's verdict that the spec is invalid (ObserveRuns, for
   *     Ready)
   * @param promotionFailure why a promote / rollback verb failed (DecidePromotions, for Promoted)
   * @param waiting why the due run was not started: concurrencyPolicy Forbid (LaunchDueRun, for
   *     Scheduled)
   * @param specRunDeferred a spec-change run waits, so the generation is not observed yet
   * @param mergesDue sharded runs whose shards all left partial bundles (ObserveRuns, for
   *     LaunchDueRun, which starts their merge Jobs) (LaunchDueRun)
   */
  record Findings(
      List<TrainedRun> trained,
      Optional<String> specRejectedByTrainer,
      Optional<String> promotionFailure,
      Optional<String> waiting,
      boolean specRunDeferred,
      List<String> mergesDue) {
    static final Findings NONE =
        new Findings(
            List.of(), Optional.empty(), Optional.empty(), Optional.empty(), false, List.of());

    Findings {
      mergesDue = List.copyOf(mergesDue);
    }
  }

  /** A run that finished with a registered version, waiting for its gate verdict. */
  record TrainedRun(String run, TrainerResult result) {}

  PassState {
    runs = List.copyOf(runs);
    promotions = List.copyOf(promotions);
    handledAnnotations = List.copyOf(handledAnnotations);
    announcements = List.copyOf(announcements);
  }

  /** The state the previous status describes; nothing found yet. */
  static PassState of(ForecastPipelineStatus status) {
    var runs = status.getRuns() == null ? List.<RunRecord>of() : status.getRuns();
    // status written before the counter existed: start from what the run history still shows
    int gateFailures =
        status.getConsecutiveGateFailures() != null
            ? status.getConsecutiveGateFailures()
            : consecutiveGateFailures(runs);
    return new PassState(
        runs,
        status.getProductionVersion(),
        status.getPromotions() == null ? List.of() : status.getPromotions(),
        gateFailures,
        status.getLastScheduleTime(),
        status.getLastSuccessfulTime(),
        status.getNextScheduleTime(),
        status.getTrainingSpecDigest(),
        Findings.NONE,
        List.of(),
        List.of());
  }

  /**
   * Writes the state into {@code status}. Empty collections are written as absent: the API server
   * drops them, and a status that differs from what it reads back would be patched for ever.
   */
  void writeTo(ForecastPipelineStatus status) {
    status.setRuns(runs.isEmpty() ? null : new ArrayList<>(runs));
    var active = activeRuns().stream().map(RunRecord::getName).toList();
    status.setActiveRuns(active.isEmpty() ? null : active);
    status.setProductionVersion(productionVersion);
    status.setPromotions(promotions.isEmpty() ? null : promotions);
    status.setConsecutiveGateFailures(consecutiveGateFailures);
    status.setLastScheduleTime(lastScheduleTime);
    status.setLastSuccessfulTime(lastSuccessfulTime);
    status.setNextScheduleTime(nextScheduleTime);
    status.setTrainingSpecDigest(trainingSpecDigest);
  }

  Optional<RunRecord> find(String runName) {
    return runs.stream().filter(r -> runName.equals(r.getName())).findFirst();
  }

  List<RunRecord> activeRuns() {
    return runs.stream().filter(PassState::active).toList();
  }

  static boolean active(RunRecord r) {
    return r.getPhase() == RunPhase.Pending || r.getPhase() == RunPhase.Running;
  }

  Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Succeeded runs in the history, newest first, whose gates failed before the latest one that
   * passed.
   */
  private static int consecutiveGateFailures(List<RunRecord> runs) {
    int n = 0;
    for (var r : runs) {
      if (r.getPhase() != RunPhase.Succeeded) {
        continue;
      }
      if (r.getDecision() != RunDecision.GateFailed) {
        break;
      }
      n++;
    }
    return n;
  }

  /** A step's working copy of the state. */
  static final class Builder {
    private final List<RunRecord> runs;
    private final List<RunRecord> cloned = new ArrayList<>();
    private String productionVersion;
    private List<PromotionRecord> promotions;
    private int consecutiveGateFailures;
    private String lastScheduleTime;
    private String lastSuccessfulTime;
    private String nextScheduleTime;
    private String trainingSpecDigest;
    private final List<TrainedRun> trained;
    private Optional<String> specRejectedByTrainer;
    private Optional<String> promotionFailure;
    private Optional<String> waiting;
    private boolean specRunDeferred;
    private final List<String> handled;
    private final List<Runnable> announcements;
    private final List<String> mergesDue;

    private Builder(PassState s) {
      runs = new ArrayList<>(s.runs);
      productionVersion = s.productionVersion;
      promotions = s.promotions;
      consecutiveGateFailures = s.consecutiveGateFailures;
      lastScheduleTime = s.lastScheduleTime;
      lastSuccessfulTime = s.lastSuccessfulTime;
      nextScheduleTime = s.nextScheduleTime;
      trainingSpecDigest = s.trainingSpecDigest;
      trained = new ArrayList<>(s.findings.trained());
      specRejectedByTrainer = s.findings.specRejectedByTrainer();
      promotionFailure = s.findings.promotionFailure();
      waiting = s.findings.waiting();
      specRunDeferred = s.findings.specRunDeferred();
      mergesDue = new ArrayList<>(s.findings.mergesDue());
      handled = new ArrayList<>(s.handledAnnotations);
      announcements = new ArrayList<>(s.announcements);
    }

    /**
     * The runs as edited so far (records not yet {@link #edit edited} are shared with the previous
     * state).
     */
    List<RunRecord> runs() {
      return List.copyOf(runs);
    }

    /** The record to change: a clone, put in place of the one of the previous state. */
    RunRecord edit(RunRecord record) {
      if (cloned.stream().anyMatch(r -> r == record)) {
        return record;
      }
      int i = indexOf(record);
      var copy = SERIALIZATION.clone(record);
      runs.set(i, copy);
      cloned.add(copy);
      return copy;
    }

    Builder addRun(int index, RunRecord record) {
      runs.add(index, record);
      cloned.add(record);
      return this;
    }

    Builder addRun(RunRecord record) {
      return addRun(runs.size(), record);
    }

    Builder runs(List<RunRecord> kept) {
      runs.clear();
      runs.addAll(kept);
      return this;
    }

    String productionVersion() {
      return productionVersion;
    }

    Builder productionVersion(String version) {
      productionVersion = version;
      return this;
    }

    /** Adds a decision, newest first, keeping at most {@code limit}. */
    Builder addPromotion(PromotionRecord record, int limit) {
      var list = new ArrayList<PromotionRecord>();
      list.add(record);
      list.addAll(promotions);
      promotions = List.copyOf(list.subList(0, Math.min(list.size(), limit)));
      return this;
    }

    int consecutiveGateFailures() {
      return consecutiveGateFailures;
    }

    Builder consecutiveGateFailures(int n) {
      consecutiveGateFailures = n;
      return this;
    }

    String lastScheduleTime() {
      return lastScheduleTime;
    }

    Builder lastScheduleTime(String time) {
      lastScheduleTime = time;
      return this;
    }

    Builder lastSuccessfulTime(String time) {
      lastSuccessfulTime = time;
      return this;
    }

    Builder nextScheduleTime(String time) {
      nextScheduleTime = time;
      return this;
    }

    Builder trainingSpecDigest(String digest) {
      trainingSpecDigest = digest;
      return this;
    }

    Builder trained(TrainedRun run) {
      trained.add(run);
      return this;
    }

    /** Every shard of this sharded run left its partial bundle: the merge step is due. */
    Builder mergeDue(String run) {
      mergesDue.add(run);
      return this;
    }

    Builder specRejectedByTrainer(String message) {
      specRejectedByTrainer = Optional.of(message);
      return this;
    }

    Builder promotionFailure(String message) {
      promotionFailure = Optional.of(message);
      return this;
    }

    Builder waiting(String message, boolean specRun) {
      waiting = Optional.of(message);
      specRunDeferred = specRun;
      return this;
    }

    Builder handled(String annotation) {
      handled.add(annotation);
      return this;
    }

    Builder announce(Runnable announcement) {
      announcements.add(announcement);
      return this;
    }

    PassState build() {
      return new PassState(
          runs,
          productionVersion,
          promotions,
          consecutiveGateFailures,
          lastScheduleTime,
          lastSuccessfulTime,
          nextScheduleTime,
          trainingSpecDigest,
          new Findings(
              List.copyOf(trained),
              specRejectedByTrainer,
              promotionFailure,
              waiting,
              specRunDeferred,
              mergesDue),
          handled,
          announcements);
    }

    private int indexOf(RunRecord record) {
      for (int i = 0; i < runs.size(); i++) {
        if (runs.get(i) == record) {
          return i;
        }
      }
      throw new IllegalArgumentException("run " + record.getName() + " is not in this pass");
    }
  }
}
