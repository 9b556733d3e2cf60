package dev.almanac.operator.deployment;

import dev.almanac.api.v1alpha1.common.Reason;
import dev.almanac.api.v1alpha1.deployment.ModelDeployment;
import dev.almanac.operator.registry.ModelRegistryPort.VersionInfo;
import dev.almanac.operator.registry.RegistryPorts;
import dev.almanac.operator.registry.StagesRefusedException;
import dev.almanac.registry.RegistryUnavailableException;
import java.util.Optional;

/**
 * Turns {@code spec.model} (alias, exact version or stage) into an exact registry version. A
 * missing model, alias, stage or version is an answer ({@link Resolution.NotFound}); a registry
 * that cannot be reached is not, and surfaces as {@link RegistryUnavailableException}.
 */
public final class ModelVersionResolver {
  private final RegistryPorts registries;

  public ModelVersionResolver(RegistryPorts registries) {
    this.registries = registries;
  }

  /** Outcome of one resolution. */
  public sealed interface Resolution {
    /** {@code version} is what {@code reference} ("alias production") points to now. */
    record Resolved(String version, String reference) implements Resolution {}

    /** {@code reason}: ModelNotFound, or ModelNotServable for a version the server cannot serve. */
    record NotFound(String message, Reason reason) implements Resolution {
      public NotFound(String message) {
        this(message, Reason.ModelNotFound);
      }
    }
  }

  public Resolution resolve(ModelDeployment md) throws RegistryUnavailableException {
    var ref = md.getSpec().getModel();
    var model = ref.getRegisteredModel();
    var registry = registries.forSpec(md.getMetadata().getNamespace(), md.getSpec().getMlflow());
    String reference;
    Optional<VersionInfo> found;
    if (ref.getAlias() != null) {
      reference = "alias " + ref.getAlias();
      found = registry.byAlias(model, ref.getAlias());
    } else if (ref.getVersion() != null) {
      reference = "version " + ref.getVersion();
      found = registry.version(model, ref.getVersion());
    } else if (ref.getStage() != null) {
      reference = "stage " + ref.getStage().name();
      try {
        found = registry.latestInStage(model, ref.getStage().name());
      } catch (StagesRefusedException e) {
        return new Resolution.NotFound(
            "spec.model.stage "
                + ref.getStage().name()
                + " cannot be followed: the "
                + "registry has no stages; follow an alias instead (spec.model.alias)");
      }
    } else {
      // The CRD's CEL rule forbids this; kept so a CRD installed without validation fails readably.
      return new Resolution.NotFound(
          "spec.model of " + model + " sets none of alias, version, stage");
    }
    if (found.isEmpty()) {
      return new Resolution.NotFound("registered model " + model + " has no " + reference);
    }
    var info = found.get();
    if (info.status() != null && !"READY".equals(info.status())) {
      return new Resolution.NotFound(
          "version "
              + info.version()
              + " of "
              + model
              + " ("
              + reference
              + ") is "
              + info.status()
              + ", not READY");
    }
    var problem = registry.servingProblem(info);
    if (problem.isPresent()) {
      return new Resolution.NotFound(
          problem.get() + " (" + reference + " of " + model + ")", Reason.ModelNotServable);
    }
    return new Resolution.Resolved(info.version(), reference);
  }
}
