package dev.almanac.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.almanac.api.v1alpha1.pipeline.ForecastPipeline;
import dev.almanac.api.v1alpha1.pipeline.Task;
import dev.almanac.operator.events.EventRecorder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failed batch Job becomes one BatchPredictionFailed Warning on its pipeline, with the batch
 * command's error.
 */
@EnableKubernetesMockClient(crud = true)
class BatchPredictionWatcherTest {
  private static final String NS = "ns";
  KubernetesClient client;
  private BatchPredictionWatcher watcher;
  private ForecastPipeline fp;

  @BeforeEach
  void setUp() {
    fp = client.resource(BatchPredictionLauncherTest.pipeline(Task.FORECAST, true)).create();
    watcher =
        new BatchPredictionWatcher(
                client, new EventRecorder(client, Clock.systemUTC()), Set.of(NS), Clock.systemUTC())
            .start();
  }

  @AfterEach
  void tearDown() {
    watcher.close();
  }

  private Job failedJob(String version, Instant failedAt, String podMessage) {
    var job = BatchPredictionLauncher.job(fp, version, "trainer:1", null, Clock.systemUTC());
    job.getMetadata().setOwnerReferences(List.of());
    job = client.resource(job).create();
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(job.getMetadata().getName() + "-x")
                .withNamespace(NS)
                .addToLabels("job-name", job.getMetadata().getName())
                .endMetadata()
                .withNewStatus()
                .addNewContainerStatus()
                .withName("trainer")
                .withNewState()
                .withNewTerminated()
                .withExitCode(1)
                .withMessage(podMessage)
                .endTerminated()
                .endState()
                .endContainerStatus()
                .endStatus()
                .build())
        .create();
    job.setStatus(
        new JobStatusBuilder()
            .withFailed(2)
            .withConditions(
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("BackoffLimitExceeded")
                    .withMessage("Job has reached the specified backoff limit")
                    .withLastTransitionTime(failedAt.toString())
                    .build())
            .build());
    return client.resource(job).updateStatus();
  }

  private List<Event> warnings() {
    return client.v1().events().inNamespace(NS).list().getItems().stream()
        .filter(e -> "BatchPredictionFailed".equals(e.getReason()))
        .toList();
  }

  @Test
  void aFailedBatchJobIsReportedWithTheCommandsErrorLine() {
    failedJob(
        "7",
        Instant.now().plusSeconds(1),
        """
        [batch] covid-cases version 7 downloaded
        [batch] 2 series x 14 days written to s3://almanac/models/predictions/covid/v7
        [error] PostgreSQL: PostgreSQL at jdbc:postgresql://db:5432/f rejected the credentials of user 'almanac' (Secret keys username/password): FATAL: password authentication failed
        """);

    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(warnings())
                    .singleElement()
                    .satisfies(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getInvolvedObject().getName()).isEqualTo("covid");
                          assertThat(e.getMessage())
                              .isEqualTo(
                                  "batch prediction of version 7 failed (Job covid-predict-v7): PostgreSQL: PostgreSQL at "
                                      + "jdbc:postgresql://db:5432/f rejected the credentials of user 'almanac' (Secret keys username/password): "
                                      + "FATAL: password authentication failed");
                        }));
  }

  @Test
  void aFailureFromBeforeTheOperatorStartedIsNotReportedAgain() {
    failedJob("6", Instant.now().minusSeconds(3600), "[error] old");
    failedJob("8", Instant.now().plusSeconds(1), "[error] PostgreSQL: unreachable");
    // the later failure is reported, so the informer has seen both by then
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(
            () ->
                assertThat(warnings())
                    .singleElement()
                    .satisfies(
                        e ->
                            assertThat(e.getMessage())
                                .contains("version 8")
                                .endsWith("PostgreSQL: unreachable")));
  }

  @Test
  void errorLineTakesTheLastErrorOrElseTheLastLine() {
    assertThat(BatchPredictionWatcher.errorLine("a\n[error] one\nb\n[error] two\n"))
        .isEqualTo("two");
    assertThat(BatchPredictionWatcher.errorLine("Exception in thread main\n  at x.y\n"))
        .isEqualTo("at x.y");
  }
}
