package dev.almanac.trainer.tracking;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.registry.MlflowSettings;
import dev.almanac.registry.S3Settings;
import java.util.HashMap;
import java.util.Map;

/**
 * The environment the registry settings are read from, with the pipeline's own values on top: its
 * tracking URI and S3 endpoint, region and path style win over the process environment; credentials
 * only ever come from the environment (Secret references in the pod spec).
 */
public final class ConnectionEnvironment {
  private ConnectionEnvironment() {}

  public static Map<String, String> merged(ForecastPipeline fp, Map<String, String> env) {
    var merged = new HashMap<>(env);
    var spec = fp.getSpec();
    if (spec.getMlflow() != null && spec.getMlflow().getTrackingUri() != null) {
      merged.put(MlflowSettings.TRACKING_URI, spec.getMlflow().getTrackingUri());
    }
    var s3 = spec.getArtifacts() == null ? null : spec.getArtifacts().getS3();
    if (s3 != null && s3.getEndpoint() != null) {
      merged.put(S3Settings.ENDPOINT, s3.getEndpoint());
    }
    if (s3 != null && s3.getRegion() != null) {
      merged.put(S3Settings.REGION, s3.getRegion());
    }
    if (s3 != null && s3.getPathStyle() != null) {
      merged.put(S3Settings.PATH_STYLE, s3.getPathStyle().toString());
    }
    return merged;
  }
}
