package dev.almanac.e2e;

import dev.almanac.testbed.MlflowTestBed.OnMlflow;
import dev.almanac.testbed.MlflowVersion;

/** {@link PythonModelDeploymentTest} with a model MLflow 2.22's Python client registered. */
@OnMlflow(MlflowVersion.V2)
class PythonModelDeploymentMlflow2Test extends PythonModelDeploymentTest {}
