package dev.almanac.testbed;

import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit extension for a server started once per JVM: starts it before a test class's first test
 * (so a start failure fails the class, not a test in the middle) and injects its endpoints records
 * as test parameters.
 */
abstract class SharedServerExtension implements BeforeAllCallback, ParameterResolver {
  private final List<Class<?>> provided;

  /** {@code provided}: the endpoint types this extension injects; the first is the main one. */
  SharedServerExtension(Class<?>... provided) {
    this.provided = List.of(provided);
  }

  /** The endpoints of {@code type}, starting the server on first use. */
  abstract Object endpoints(Class<?> type, ExtensionContext context);

  @Override
  public final void beforeAll(ExtensionContext context) {
    endpoints(provided.get(0), context);
  }

  @Override
  public final boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return provided.contains(parameter.getParameter().getType());
  }

  @Override
  public final Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return endpoints(parameter.getParameter().getType(), context);
  }
}
