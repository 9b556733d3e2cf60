package dev.almanac.operator.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.almanac.api.v1alpha1.deployment.ModelRef;
import dev.almanac.api.v1alpha1.deployment.Stage;
import dev.almanac.operator.deployment.ModelVersionResolver.Resolution;
import dev.almanac.registry.RegistryUnavailableException;
import org.junit.jupiter.api.Test;

class ModelVersionResolverTest {
  private final InMemoryRegistry registry =
      new InMemoryRegistry().register("covid-cases", "1", "2", "3");
  private final ModelVersionResolver resolver =
      new ModelVersionResolver((namespace, mlflow) -> registry);

  private static ModelRef ref() {
    var ref = new ModelRef();
    ref.setRegisteredModel("covid-cases");
    return ref;
  }

  @Test
  void resolvesAliasVersionAndStage() {
    registry.setAlias("covid-cases", "production", "2");
    registry.transitionStage("covid-cases", "3", "Staging", false);
    var alias = ref();
    alias.setAlias("production");
    var version = ref();
    version.setVersion("1");
    var stage = ref();
    stage.setStage(Stage.Staging);
    assertThat(resolver.resolve(ModelDeployments.of("ml", "a", alias)))
        .isEqualTo(new Resolution.Resolved("2", "alias production"));
    assertThat(resolver.resolve(ModelDeployments.of("ml", "v", version)))
        .isEqualTo(new Resolution.Resolved("1", "version 1"));
    assertThat(resolver.resolve(ModelDeployments.of("ml", "s", stage)))
        .isEqualTo(new Resolution.Resolved("3", "stage Staging"));
  }

  @Test
  void missingThingsAreNotFoundAndAnOutageIsAnException() {
    var alias = ref();
    alias.setAlias("champion");
    var version = ref();
    version.setVersion("9");
    var unknown = ref();
    unknown.setRegisteredModel("nope");
    unknown.setStage(Stage.Production);
    assertThat(resolver.resolve(ModelDeployments.of("ml", "a", alias)))
        .isEqualTo(new Resolution.NotFound("registered model covid-cases has no alias champion"));
    assertThat(resolver.resolve(ModelDeployments.of("ml", "v", version)))
        .isInstanceOf(Resolution.NotFound.class);
    assertThat(resolver.resolve(ModelDeployments.of("ml", "u", unknown)))
        .isInstanceOf(Resolution.NotFound.class);
    registry.down.set(true);
    assertThatThrownBy(() -> resolver.resolve(ModelDeployments.of("ml", "v", version)))
        .isInstanceOf(RegistryUnavailableException.class);
  }
}
