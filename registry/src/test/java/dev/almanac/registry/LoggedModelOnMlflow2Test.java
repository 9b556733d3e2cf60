package dev.almanac.registry;

import dev.almanac.testbed.MlflowTestBed.OnMlflow;
import dev.almanac.testbed.MlflowVersion;

/**
 * {@link LoggedModelIntegrationTest} against MLflow 2.22, which has no logged models: the bundle is
 * the run's {@code model} artifact and the version's source is its URI, as before MLflow 3.
 */
@OnMlflow(MlflowVersion.V2)
class LoggedModelOnMlflow2Test extends LoggedModelIntegrationTest {}
