package dev.almanac.operator.workload;

import dev.almanac.api.v1alpha1.common.ArtifactsSpec;
import dev.almanac.api.v1alpha1.common.MlflowSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * What every Almanac workload pod shares, trainer Jobs ({@code RunObjects}) and model-server
 * Deployments ({@code ServerDeploymentDependent}) alike: the MLflow and S3 environment, DJL kept
 * offline, the restricted Pod Security profile (non-root uid, no privilege escalation, read-only
 * root, all capabilities dropped, RuntimeDefault seccomp) and the writable {@code /tmp} emptyDir
 * that a read-only root needs. Changing a value here changes both kinds of pod.
 */
public final class WorkloadEnvironment {
  /**
   * Distroless "nonroot": a numeric uid lets the kubelet verify runAsNonRoot whatever the image
   * says.
   */
  public static final long NON_ROOT_UID = 65532L;

  public static final String TMP_VOLUME = "tmp";
  public static final String TMP_DIR = "/tmp";

  private WorkloadEnvironment() {}

  /**
   * MLflow tracking URI and credentials (username + password or a token: each key of the Secret may
   * be absent), then the S3 endpoint, region, addressing style and keys of {@code artifacts.s3}.
   */
  public static List<EnvVar> registry(MlflowSpec mlflow, ArtifactsSpec artifacts) {
    var env = new ArrayList<EnvVar>();
    if (mlflow != null) {
      env.add(value("MLFLOW_TRACKING_URI", mlflow.getTrackingUri()));
      if (mlflow.getCredentialsSecretRef() != null) {
        var secret = mlflow.getCredentialsSecretRef().getName();
        for (var key :
            List.of(
                "MLFLOW_TRACKING_USERNAME", "MLFLOW_TRACKING_PASSWORD", "MLFLOW_TRACKING_TOKEN")) {
          env.add(secretKey(key, secret, true));
        }
      }
    }
    var s3 = artifacts == null ? null : artifacts.getS3();
    if (s3 != null) {
      if (s3.getEndpoint() != null) {
        env.add(value("MLFLOW_S3_ENDPOINT_URL", s3.getEndpoint()));
      }
      env.add(value("AWS_REGION", s3.getRegion() == null ? "us-east-1" : s3.getRegion()));
      if (Boolean.TRUE.equals(s3.getPathStyle())) {
        env.add(value("ALMANAC_S3_PATH_STYLE", "true"));
      }
      if (s3.getCredentialsSecretRef() != null) {
        var secret = s3.getCredentialsSecretRef().getName();
        env.add(secretKey("AWS_ACCESS_KEY_ID", secret, false));
        env.add(secretKey("AWS_SECRET_ACCESS_KEY", secret, false));
      }
    }
    return env;
  }

  /** DJL must never phone home (no model zoo downloads, no usage tracking). */
  public static List<EnvVar> offline() {
    return List.of(value("DJL_OFFLINE", "true"), value("OPT_OUT_TRACKING", "true"));
  }

  public static PodSecurityContext podSecurityContext() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(NON_ROOT_UID)
        .withRunAsGroup(NON_ROOT_UID)
        .withFsGroup(NON_ROOT_UID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  public static SecurityContext containerSecurityContext() {
    return new SecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  public static Volume tmpVolume() {
    return new VolumeBuilder().withName(TMP_VOLUME).withNewEmptyDir().endEmptyDir().build();
  }

  public static VolumeMount tmpMount() {
    return new VolumeMountBuilder().withName(TMP_VOLUME).withMountPath(TMP_DIR).build();
  }

  public static EnvVar value(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar secretKey(String key, String secret, boolean optional) {
    return new EnvVarBuilder()
        .withName(key)
        .withNewValueFrom()
        .withNewSecretKeyRef()
        .withName(secret)
        .withKey(key)
        .withOptional(optional)
        .endSecretKeyRef()
        .endValueFrom()
        .build();
  }
}
