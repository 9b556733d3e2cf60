package dev.almanac.operator.pipeline;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineStatus;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Objects;

/**
 * The status a pass starts from and the object it patches: the next status is built on a deep copy
 * of the current one, and written only when it differs, as a fresh object holding name, namespace
 * and status (with server-side apply that object is the whole intent for status).
 */
final class StatusPatch {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private StatusPatch() {}

  /** Deep copy of the current status, or an empty one. */
  static ForecastPipelineStatus copy(ForecastPipelineStatus status) {
    return status == null ? new ForecastPipelineStatus() : SERIALIZATION.clone(status);
  }

  /** True when the two statuses serialize the same: nothing to write. */
  static boolean unchanged(ForecastPipelineStatus a, ForecastPipelineStatus b) {
    return Objects.equals(
        SERIALIZATION.asJson(a == null ? new ForecastPipelineStatus() : a),
        SERIALIZATION.asJson(b == null ? new ForecastPipelineStatus() : b));
  }

  static ForecastPipeline fresh(ForecastPipeline fp, ForecastPipelineStatus status) {
    var fresh = new ForecastPipeline();
    fresh.getMetadata().setName(fp.getMetadata().getName());
    fresh.getMetadata().setNamespace(fp.getMetadata().getNamespace());
    fresh.setStatus(status);
    return fresh;
  }
}
