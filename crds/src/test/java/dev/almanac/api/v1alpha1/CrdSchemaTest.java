package dev.almanac.api.v1alpha1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.almanac.api.v1alpha1.pipeline.ModelType;
import dev.almanac.api.v1alpha1.pipeline.Task;
import dev.almanac.testbed.KubeApiServer;
import dev.almanac.testbed.KubeApiServerExtension;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.FieldValidateable;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated CRDs on a real kube-apiserver: defaults, and bad resources rejected by the server.
 */
@Tag("integration")
@ExtendWith(KubeApiServerExtension.class)
class CrdSchemaTest {
  private static final String NS = "crd-schema";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static KubernetesClient client;

  @BeforeAll
  static void install(KubeApiServer kube) {
    kube.applyAlmanacCrds();
    client = kube.client();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .serverSideApply();
  }

  static ObjectNode pipeline() {
    return (ObjectNode)
        read(
            """
        apiVersion: almanac.dev/v1alpha1
        kind: ForecastPipeline
        metadata: {name: p}
        spec:
          task: forecast
          schedule: "0 3 * * *"
          data:
            source: {path: owid-covid/owid-covid-slim.csv.gz}
            seriesColumn: iso_code
            target: new_cases
          validation: {metric: MASE, threshold: "1.5"}
          mlflow: {trackingUri: "http://mlflow:5000", registeredModel: covid}
        """);
  }

  static ObjectNode deployment() {
    return (ObjectNode)
        read(
            """
        apiVersion: almanac.dev/v1alpha1
        kind: ModelDeployment
        metadata: {name: d}
        spec:
          model: {registeredModel: covid, alias: production}
          mlflow: {trackingUri: "http://mlflow:5000", registeredModel: covid}
        """);
  }

  static Stream<Arguments> invalidResources() {
    return Stream.of(
        bad(
            "two data sources",
            pipeline(),
            r -> at(r, "spec.data.source").put("url", "https://example.org/x.csv"),
            "spec.data.source",
            "exactly one of url, s3, configMapRef, path must be set"),
        bad(
            "no data source",
            pipeline(),
            r -> at(r, "spec.data").putObject("source"),
            "spec.data.source",
            "exactly one of url, s3, configMapRef, path must be set"),
        bad(
            "deprecated mlflow.registeredModel differs",
            deployment(),
            r -> at(r, "spec.mlflow").put("registeredModel", "other"),
            "spec.mlflow.registeredModel",
            "spec.mlflow.registeredModel is deprecated and differs from spec.model.registeredModel"),
        bad(
            "alias and version together",
            deployment(),
            r -> at(r, "spec.model").put("version", "3"),
            "spec.model",
            "exactly one of alias, version, stage must be set"),
        bad(
            "neither alias, version nor stage",
            deployment(),
            r -> at(r, "spec.model").remove("alias"),
            "spec.model",
            "exactly one of alias, version, stage must be set"),
        bad(
            "four-field cron",
            pipeline(),
            r -> at(r, "spec").put("schedule", "0 3 * *"),
            "spec.schedule",
            "five-field cron expression"),
        bad(
            "six-field cron",
            pipeline(),
            r -> at(r, "spec").put("schedule", "0 0 3 * * *"),
            "spec.schedule",
            "five-field cron expression"),
        bad(
            "unknown task",
            pipeline(),
            r -> at(r, "spec").put("task", "regression"),
            "spec.task",
            "supported values: \"classification\", \"forecast\""),
        bad(
            "unknown model type",
            pipeline(),
            r -> at(r, "spec").putArray("models").addObject().put("type", "NeuralProphet"),
            "spec.models[0].type",
            "Unsupported value: \"NeuralProphet\""),
        bad(
            "negative replicas",
            deployment(),
            r -> at(r, "spec").put("replicas", -1),
            "spec.replicas",
            "should be greater than or equal to 0"),
        bad(
            "horizon 0",
            pipeline(),
            r -> at(r, "spec").put("horizon", 0),
            "spec.horizon",
            "should be greater than or equal to 1"),
        bad(
            "horizon 366",
            pipeline(),
            r -> at(r, "spec").put("horizon", 366),
            "spec.horizon",
            "should be less than or equal to 365"),
        bad(
            "holdoutDays 0",
            pipeline(),
            r -> at(r, "spec.validation").put("holdoutDays", 0),
            "spec.validation.holdoutDays",
            "should be greater than or equal to 1"),
        bad(
            "minReplicas > maxReplicas",
            deployment(),
            r -> at(r, "spec").putObject("autoscaling").put("minReplicas", 5).put("maxReplicas", 2),
            "spec.autoscaling.minReplicas",
            "minReplicas must not exceed autoscaling.maxReplicas"),
        bad(
            "autoscaling without maxReplicas",
            deployment(),
            r -> at(r, "spec").putObject("autoscaling").put("minReplicas", 1),
            "spec.autoscaling.maxReplicas",
            "Required value"),
        bad(
            "forecast metric on a classification task",
            pipeline(),
            r -> {
              at(r, "spec").put("task", "classification");
              at(r, "spec.data").put("target", "prognosis");
            },
            "spec.validation.metric",
            "validation.metric does not fit the task"),
        bad(
            "classification metric on a forecast task",
            pipeline(),
            r -> at(r, "spec.validation").put("metric", "Accuracy"),
            "spec.validation.metric",
            "validation.metric does not fit the task"),
        bad(
            "logistic regression forecasting",
            pipeline(),
            r -> at(r, "spec").putArray("models").addObject().put("type", "LogisticRegression"),
            "spec.models",
            "LogisticRegression is a classification model"),
        bad(
            "LightGBM classifying",
            pipeline(),
            r -> {
              at(r, "spec").put("task", "classification");
              at(r, "spec.validation").put("metric", "Accuracy");
              at(r, "spec").putArray("models").addObject().put("type", "LightGBM");
            },
            "spec.models",
            "classification takes RandomForest, XGBoost or LogisticRegression models"),
        bad(
            "threshold not a number",
            pipeline(),
            r -> at(r, "spec.validation").put("threshold", "low"),
            "spec.validation.threshold",
            "threshold must be a decimal number"),
        bad(
            "missing target",
            pipeline(),
            r -> at(r, "spec.data").remove("target"),
            "spec.data.target",
            "Required value"),
        bad(
            "missing registered model",
            deployment(),
            r -> at(r, "spec.model").remove("registeredModel"),
            "spec.model.registeredModel",
            "Required value"),
        bad(
            "non-numeric pinned version",
            deployment(),
            r -> {
              at(r, "spec.model").remove("alias");
              at(r, "spec.model").put("version", "latest");
            },
            "spec.model.version",
            "should match"),
        bad(
            "sharded classification",
            pipeline(),
            r -> {
              at(r, "spec").put("task", "classification");
              at(r, "spec.validation").put("metric", "Accuracy");
              at(r, "spec.trainer").put("shards", 3);
              at(r, "spec.artifacts.s3").put("bucket", "b");
            },
            "spec.trainer.shards",
            "a classifier learns from every row at once: set trainer.shards to 1"),
        bad(
            "sharded global model",
            pipeline(),
            r -> {
              at(r, "spec").put("global", true);
              at(r, "spec.trainer").put("shards", 3);
              at(r, "spec.artifacts.s3").put("bucket", "b");
            },
            "spec.trainer.shards",
            "a global model learns from every series at once and cannot be sharded"),
        bad(
            "shards without artifacts.s3",
            pipeline(),
            r -> at(r, "spec.trainer").put("shards", 3),
            "spec.trainer.shards",
            "trainer.shards > 1 needs artifacts.s3"),
        bad(
            "unknown enum concurrency policy",
            pipeline(),
            r -> at(r, "spec").put("concurrencyPolicy", "Queue"),
            "spec.concurrencyPolicy",
            "supported values: \"Allow\", \"Forbid\", \"Replace\""),
        bad(
            "payload sample rate above 1",
            deployment(),
            r -> {
              at(r, "spec.monitoring.payloadLogging").put("sampleRate", 1.5);
              at(r, "spec.monitoring.payloadLogging.s3").put("bucket", "logs").put("key", "p");
            },
            "spec.monitoring.payloadLogging.sampleRate",
            "should be less than or equal to 1"),
        bad(
            "payload logging without a bucket",
            deployment(),
            r -> at(r, "spec.monitoring.payloadLogging").put("sampleRate", 0.5),
            "spec.monitoring.payloadLogging.s3",
            "Required value"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidResources")
  void apiserverRejects(String name, ObjectNode resource, String field, String message) {
    resource
        .with("metadata")
        .put("name", "bad-" + name.replaceAll("[^a-z0-9]+", "-").replaceAll("-$", ""));
    assertThatThrownBy(() -> create(resource))
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(
            e -> {
              var status = ((KubernetesClientException) e).getStatus();
              assertThat(status.getCode()).isEqualTo(422);
              assertThat(status.getDetails().getCauses())
                  .as("causes of %s", status.getMessage())
                  .anySatisfy(
                      cause -> {
                        assertThat(cause.getField()).isEqualTo(field);
                        assertThat(cause.getMessage()).contains(message);
                      });
            });
  }

  static Stream<Arguments> typesByTask() {
    return Stream.of(Task.values())
        .flatMap(task -> Stream.of(ModelType.values()).map(type -> Arguments.of(task, type)));
  }

  /**
   * Every model type x task against the table in {@link ModelType}: the apiserver takes exactly the
   * supported pairs.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("typesByTask")
  void apiserverTakesExactlyTheModelTypesOfATask(Task task, ModelType type) {
    var resource = pipeline();
    resource
        .with("metadata")
        .put(
            "name",
            "types-" + task.wireName() + "-" + type.name().toLowerCase(java.util.Locale.ROOT));
    at(resource, "spec").put("task", task.wireName());
    at(resource, "spec.validation").put("metric", task == Task.FORECAST ? "MASE" : "Accuracy");
    at(resource, "spec").putArray("models").addObject().put("type", type.name());
    var generic = toGeneric(resource);
    var dryRun =
        client
            .genericKubernetesResources(generic.getApiVersion(), generic.getKind())
            .inNamespace(NS)
            .resource(generic)
            .dryRun();
    if (type.supports(task)) {
      assertThat(dryRun.create().getMetadata().getName())
          .isEqualTo(generic.getMetadata().getName());
    } else {
      assertThatThrownBy(dryRun::create)
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(
              e ->
                  assertThat(((KubernetesClientException) e).getStatus().getDetails().getCauses())
                      .anySatisfy(
                          cause -> {
                            assertThat(cause.getField()).isEqualTo("spec.models");
                            assertThat(cause.getMessage())
                                .contains(": " + task.wireName() + " takes ");
                          }));
    }
  }

  @Test
  void unknownFieldsFailUnderStrictValidation() {
    var resource = pipeline();
    resource.with("metadata").put("name", "bad-unknown-field");
    at(resource, "spec").put("scheduel", "0 3 * * *");
    assertThatThrownBy(
            () ->
                client
                    .genericKubernetesResources("almanac.dev/v1alpha1", "ForecastPipeline")
                    .inNamespace(NS)
                    .resource(toGeneric(resource))
                    .fieldValidation(FieldValidateable.Validation.STRICT)
                    .create())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("unknown field \"spec.scheduel\"");
  }

  @Test
  void schemaDefaultsAreApplied() {
    var resource = pipeline();
    resource.with("metadata").put("name", "defaults");
    var created = create(resource);
    @SuppressWarnings("unchecked")
    var spec = (java.util.Map<String, Object>) created.getAdditionalProperties().get("spec");
    assertThat(spec)
        .containsEntry("timeZone", "Etc/UTC")
        .containsEntry("concurrencyPolicy", "Forbid")
        .containsEntry("suspend", false)
        .containsEntry("horizon", 28)
        .containsEntry("global", false)
        .containsEntry("successfulRunsHistoryLimit", 3)
        .containsEntry("startingDeadlineSeconds", 3600);
    assertThat(spec.get("validation"))
        .asString()
        .contains("holdoutDays=60")
        .contains("mustBeatProduction=true");

    var md = deployment();
    md.with("metadata").put("name", "defaults");
    @SuppressWarnings("unchecked")
    var mdSpec = (java.util.Map<String, Object>) create(md).getAdditionalProperties().get("spec");
    assertThat(mdSpec).containsEntry("replicas", 1);

    var logged = deployment();
    logged.with("metadata").put("name", "payload-defaults");
    at(logged, "spec.monitoring.payloadLogging.s3").put("bucket", "logs").put("key", "disease");
    at(logged, "spec.monitoring.inputDrift");
    @SuppressWarnings("unchecked")
    var loggedSpec =
        (java.util.Map<String, Object>) create(logged).getAdditionalProperties().get("spec");
    assertThat(loggedSpec.get("monitoring"))
        .asString()
        .contains("sampleRate=0.01")
        .contains("queueCapacity=10000")
        .contains("flushSeconds=10")
        .contains("windowRequests=1000");
  }

  /**
   * Issue 21: with platform defaults in the operator, neither resource needs to name MLflow or S3.
   */
  @Test
  void minimalResourcesAreAccepted() {
    var md =
        read(
            """
        apiVersion: almanac.dev/v1alpha1
        kind: ModelDeployment
        metadata: {name: minimal}
        spec:
          model: {registeredModel: covid, alias: production}
          replicas: 2
        """);
    assertThat(create((ObjectNode) md).getMetadata().getUid()).isNotBlank();
    var fp = pipeline();
    fp.with("metadata").put("name", "minimal");
    ((ObjectNode) fp.get("spec")).remove("mlflow");
    assertThat(create(fp).getMetadata().getUid()).isNotBlank();
    var sameName = deployment(); // the deprecated field still works while it agrees
    sameName.with("metadata").put("name", "deprecated-field");
    assertThat(create(sameName).getMetadata().getUid()).isNotBlank();
  }

  @Test
  void holdoutLongerThanTheDataIsARunTimeNotASchemaError() {
    var resource = pipeline();
    resource.with("metadata").put("name", "long-holdout");
    at(resource, "spec.validation").put("holdoutDays", 3650);
    assertThat(create(resource).getMetadata().getUid()).isNotBlank();
  }

  private static GenericKubernetesResource create(ObjectNode resource) {
    var generic = toGeneric(resource);
    return client
        .genericKubernetesResources(generic.getApiVersion(), generic.getKind())
        .inNamespace(NS)
        .resource(generic)
        .create();
  }

  private static GenericKubernetesResource toGeneric(ObjectNode resource) {
    return YAML.convertValue(resource, GenericKubernetesResource.class);
  }

  private static Arguments bad(
      String name, ObjectNode base, Consumer<ObjectNode> change, String field, String message) {
    change.accept(base);
    return Arguments.of(name, base, field, message);
  }

  private static ObjectNode at(ObjectNode root, String dotted) {
    var node = root;
    for (var part : dotted.split("\\.")) {
      node = node.with(part);
    }
    return node;
  }

  private static Object read(String yaml) {
    try {
      return YAML.readTree(yaml);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @SuppressWarnings("unused")
  private static String describe(StatusCause c) {
    return c.getField() + ": " + c.getMessage();
  }
}
