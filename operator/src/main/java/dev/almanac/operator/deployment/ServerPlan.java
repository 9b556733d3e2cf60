package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import io.javaoperatorsdk.operator.api.reconciler.Context;

/**
 * What the reconciler decided for this reconcile and the server Deployment must run: the exact
 * model version and the image. It travels to {@link ServerDeploymentDependent} through the workflow
 * context under its own type as key (the only per-reconcile input a managed dependent can get).
 *
 * @param resource the ModelDeployment with the platform defaults applied (null: the stored one as
 *     is)
 */
public record ServerPlan(String version, String image, ModelDeployment resource) {
  public ServerPlan(String version, String image) {
    this(version, image, null);
  }

  public ServerPlan {
    if (version == null || version.isBlank()) {
      throw new IllegalArgumentException("no model version to serve");
    }
    if (image == null || image.isBlank()) {
      throw new IllegalArgumentException(
          "no model server image: set spec.server.image or the operator's default server image");
    }
  }

  public static ServerPlan of(ModelDeployment md, String version, String defaultImage) {
    var server = md.getSpec().getServer();
    var image =
        server != null && server.getImage() != null && !server.getImage().isBlank()
            ? server.getImage()
            : defaultImage;
    return new ServerPlan(version, image, md);
  }

  void putInto(Context<ModelDeployment> context) {
    context.managedWorkflowAndDependentResourceContext().put(ServerPlan.class, this);
  }

  static ServerPlan from(Context<ModelDeployment> context) {
    return context
        .managedWorkflowAndDependentResourceContext()
        .getMandatory(ServerPlan.class, ServerPlan.class);
  }
}
