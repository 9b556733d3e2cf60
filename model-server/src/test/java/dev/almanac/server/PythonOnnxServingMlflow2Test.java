package dev.almanac.server;

import dev.almanac.testbed.MlflowTestBed.OnMlflow;
import dev.almanac.testbed.MlflowVersion;

/** {@link PythonOnnxServingTest} with a model MLflow 2.22's Python client registered. */
@OnMlflow(MlflowVersion.V2)
class PythonOnnxServingMlflow2Test extends PythonOnnxServingTest {}
