package dev.almanac.testbed;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Injects the shared {@link KubeApiServer} or its admin {@link KubernetesClient} into test
 * constructors, lifecycle methods and test methods:
 *
 * <pre>{@code
 * @Tag("integration")
 * @ExtendWith(KubeApiServerExtension.class)
 * class MyIT {
 *   @BeforeAll static void crds(KubeApiServer kube) { kube.applyAlmanacCrds(); }
 *   @Test void works(KubernetesClient client) { ... }
 * }
 * }</pre>
 */
public final class KubeApiServerExtension implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    var type = parameter.getParameter().getType();
    return type == KubeApiServer.class || type == KubernetesClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    var server = KubeApiServer.shared();
    return parameter.getParameter().getType() == KubeApiServer.class ? server : server.client();
  }
}
