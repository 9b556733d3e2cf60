package dev.almanac.operator.deployment;

import dev.almanac.operator.config.PlatformDefaults;
import dev.almanac.operator.config.ServerNetworkSettings;
import java.time.Duration;

/**
 * Operator-wide settings of the ModelDeployment reconciler.
 *
 * @param serverImage image of model servers whose spec names none
 * @param registryPoll how often a served model is resolved again (an alias or stage may move)
 * @param defaults the platform's MLflow and S3 for ModelDeployments that leave them out
 * @param network the monitoring namespace and the operator's pods, for the servers' NetworkPolicies
 */
public record DeploymentSettings(
    String serverImage,
    Duration registryPoll,
    PlatformDefaults defaults,
    ServerNetworkSettings network) {
  public DeploymentSettings {
    defaults = defaults == null ? PlatformDefaults.NONE : defaults;
    network = network == null ? ServerNetworkSettings.DEFAULT : network;
  }

  /** No platform MLflow or S3, the default NetworkPolicy settings (tests). */
  public static DeploymentSettings of(String serverImage, Duration registryPoll) {
    return new DeploymentSettings(serverImage, registryPoll, null, null);
  }

  public DeploymentSettings withDefaults(PlatformDefaults defaults) {
    return new DeploymentSettings(serverImage, registryPoll, defaults, network);
  }

  public DeploymentSettings withNetwork(ServerNetworkSettings network) {
    return new DeploymentSettings(serverImage, registryPoll, defaults, network);
  }
}
