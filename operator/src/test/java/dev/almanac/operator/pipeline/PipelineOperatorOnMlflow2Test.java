package dev.almanac.operator.pipeline;

import dev.almanac.testbed.MlflowTestBed.OnMlflow;
import dev.almanac.testbed.MlflowVersion;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * {@link PipelineOperatorIntegrationTest} against MLflow 2.22 (the base class runs on MLflow 3).
 * Tests that never call MLflow run once, in the base class.
 */
@OnMlflow(MlflowVersion.V2)
class PipelineOperatorOnMlflow2Test extends PipelineOperatorIntegrationTest {
  @Override
  @Test
  @Disabled("no MLflow call: runs once, on MLflow 3")
  void aRestartedOperatorAdoptsTheRunningJobWithoutADuplicate(
      io.fabric8.kubernetes.client.KubernetesClient client,
      dev.almanac.testbed.MlflowTestBed.Endpoints bed) {}

  @Override
  @Test
  @Disabled("no MLflow call: runs once, on MLflow 3")
  void withLeaderElectionOnlyTheLeaderReconciles(
      io.fabric8.kubernetes.client.KubernetesClient client,
      dev.almanac.testbed.MlflowTestBed.Endpoints bed) {}
}
