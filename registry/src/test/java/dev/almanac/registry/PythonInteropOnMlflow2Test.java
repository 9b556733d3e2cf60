package dev.almanac.registry;

import dev.almanac.testbed.MlflowTestBed.OnMlflow;
import dev.almanac.testbed.MlflowVersion;

/**
 * {@link PythonInteropIntegrationTest} against MLflow 2.22 (the test matrix's older MLflow; the
 * base class runs on MLflow 3).
 */
@OnMlflow(MlflowVersion.V2)
class PythonInteropOnMlflow2Test extends PythonInteropIntegrationTest {}
