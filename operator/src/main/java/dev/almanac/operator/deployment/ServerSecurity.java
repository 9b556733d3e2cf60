package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.AdminPortSpec;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.api.v1alpha1.deployment.ServerTlsSpec;
import dev.almanac.operator.workload.WorkloadEnvironment;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How {@code spec.server.tls} and {@code spec.server.admin} reach the server pods: Secret volumes
 * mounted read-only, the server's {@code ALMANAC_TLS_*} / {@code ALMANAC_ADMIN_*} variables, the
 * admin container port and the probe scheme. The admin port is a container port only, never a
 * Service port.
 */
public final class ServerSecurity {
  public static final String TLS_VOLUME = "tls";
  public static final String TLS_DIR = "/etc/almanac/tls";
  public static final String TLS_CERT = "tls.crt";
  public static final String TLS_KEY = "tls.key";
  public static final String ADMIN_VOLUME = "admin-token";
  public static final String ADMIN_DIR = "/etc/almanac/admin";
  public static final String ADMIN_TOKEN_FILE = "token";
  public static final int ADMIN_PORT = 8081;
  public static final String ADMIN_PORT_NAME = "admin";

  /** Owner and group (fsGroup) may read; nobody may write. */
  private static final int READ_ONLY_MODE = 0440;

  private ServerSecurity() {}

  public static Optional<ServerTlsSpec> tls(ModelDeployment md) {
    var server = md.getSpec().getServer();
    return Optional.ofNullable(server == null ? null : server.getTls())
        .filter(t -> t.getSecretName() != null && !t.getSecretName().isBlank());
  }

  /** The admin port, when enabled. */
  public static Optional<AdminPortSpec> admin(ModelDeployment md) {
    var server = md.getSpec().getServer();
    return Optional.ofNullable(server == null ? null : server.getAdmin())
        .filter(a -> Boolean.TRUE.equals(a.getEnabled()));
  }

  /** {@code HTTPS} with TLS, else {@code HTTP} (probe scheme). */
  public static String scheme(ModelDeployment md) {
    return tls(md).isPresent() ? "HTTPS" : "HTTP";
  }

  static List<EnvVar> env(ModelDeployment md) {
    var env = new ArrayList<EnvVar>();
    tls(md)
        .ifPresent(
            t -> {
              env.add(WorkloadEnvironment.value("ALMANAC_TLS_CERT_FILE", TLS_DIR + "/" + TLS_CERT));
              env.add(WorkloadEnvironment.value("ALMANAC_TLS_KEY_FILE", TLS_DIR + "/" + TLS_KEY));
            });
    admin(md)
        .ifPresent(
            a -> {
              env.add(
                  WorkloadEnvironment.value("ALMANAC_ADMIN_PORT", Integer.toString(ADMIN_PORT)));
              env.add(
                  WorkloadEnvironment.value(
                      "ALMANAC_ADMIN_TOKEN_FILE", ADMIN_DIR + "/" + ADMIN_TOKEN_FILE));
            });
    return env;
  }

  static List<ContainerPort> ports(ModelDeployment md) {
    return admin(md)
        .map(
            a ->
                List.of(
                    new ContainerPortBuilder()
                        .withName(ADMIN_PORT_NAME)
                        .withContainerPort(ADMIN_PORT)
                        .withProtocol("TCP")
                        .build()))
        .orElse(List.of());
  }

  static List<Volume> volumes(ModelDeployment md) {
    var volumes = new ArrayList<Volume>();
    tls(md)
        .ifPresent(
            t ->
                volumes.add(
                    new VolumeBuilder()
                        .withName(TLS_VOLUME)
                        .withNewSecret()
                        .withSecretName(t.getSecretName())
                        .withDefaultMode(READ_ONLY_MODE)
                        .addNewItem()
                        .withKey(TLS_CERT)
                        .withPath(TLS_CERT)
                        .endItem()
                        .addNewItem()
                        .withKey(TLS_KEY)
                        .withPath(TLS_KEY)
                        .endItem()
                        .endSecret()
                        .build()));
    admin(md)
        .ifPresent(
            a ->
                volumes.add(
                    new VolumeBuilder()
                        .withName(ADMIN_VOLUME)
                        .withNewSecret()
                        .withSecretName(a.getTokenSecret())
                        .withDefaultMode(READ_ONLY_MODE)
                        .addNewItem()
                        .withKey(a.getTokenKey() == null ? "token" : a.getTokenKey())
                        .withPath(ADMIN_TOKEN_FILE)
                        .endItem()
                        .endSecret()
                        .build()));
    return volumes;
  }

  static List<VolumeMount> mounts(ModelDeployment md) {
    var mounts = new ArrayList<VolumeMount>();
    tls(md).ifPresent(t -> mounts.add(readOnly(TLS_VOLUME, TLS_DIR)));
    admin(md).ifPresent(a -> mounts.add(readOnly(ADMIN_VOLUME, ADMIN_DIR)));
    return mounts;
  }

  private static VolumeMount readOnly(String volume, String dir) {
    return new VolumeMountBuilder().withName(volume).withMountPath(dir).withReadOnly(true).build();
  }
}
