package dev.almanac.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.common.ArtifactsSpec;
import dev.almanac.api.v1alpha1.common.S3ArtifactStore;
import dev.almanac.api.v1alpha1.pipeline.TrainerNetworkPolicySpec;
import dev.almanac.api.v1alpha1.pipeline.TrainerSpec;
import dev.almanac.testbed.KubeApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The trainer NetworkPolicy through the real run-object store on the real apiserver: created owned
 * by the pipeline with egress to its endpoints only, updated when a URI changes, deleted when
 * turned off.
 */
@Tag("integration")
class TrainerNetworkPolicyApiServerTest {
  private static final String NS = "trainer-np-" + UUID.randomUUID().toString().substring(0, 8);
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    var kube = KubeApiServer.shared();
    try {
      kube.applyAlmanacCrds();
    } catch (NullPointerException e) {
      kube.applyAlmanacCrds(); // testbed race on a fresh CRD's status, once more
    }
    client = kube.newClient();
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.namespaces().withName(NS).delete();
      client.close();
    }
  }

  private static NetworkPolicy policy(String name) {
    return client.network().v1().networkPolicies().inNamespace(NS).withName(name).get();
  }

  @Test
  void aRunsPolicyIsCreatedUpdatedWithItsUrisAndDeletedWhenOff() {
    var fp =
        Pipelines.pipeline(
            NS,
            "covid",
            "covid-cases",
            spec -> {
              spec.getMlflow().setTrackingUri("http://mlflow.mlops.svc.cluster.local:5000");
              var s3 = new S3ArtifactStore();
              s3.setBucket("models");
              s3.setEndpoint("http://10.20.30.40:9000");
              var artifacts = new ArtifactsSpec();
              artifacts.setS3(s3);
              spec.setArtifacts(artifacts);
            });
    var created = client.resource(fp).create();
    var store = new KubernetesRunObjectStore(client);

    TrainerNetworkPolicy.sync(store, created);
    var np = policy("covid-trainer");
    assertThat(np).isNotNull();
    assertThat(np.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getKind()).isEqualTo("ForecastPipeline");
              assertThat(ref.getUid()).isEqualTo(created.getMetadata().getUid());
            });
    assertThat(np.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress");
    assertThat(np.getSpec().getIngress()).isNullOrEmpty();
    var egress = np.getSpec().getEgress();
    assertThat(egress).hasSize(3);
    assertThat(egress.get(1).getTo().get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "mlops");
    assertThat(egress.get(1).getPorts().get(0).getPort().getIntVal()).isEqualTo(5000);
    assertThat(egress.get(2).getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.20.30.40/32");
    assertThat(egress.get(2).getPorts().get(0).getPort().getIntVal()).isEqualTo(9000);

    // the next run follows a changed tracking URI
    created.getSpec().getMlflow().setTrackingUri("https://mlflow.example.org");
    TrainerNetworkPolicy.sync(store, created);
    var updated = policy("covid-trainer").getSpec().getEgress();
    assertThat(updated.get(1).getTo()).isNullOrEmpty();
    assertThat(updated.get(1).getPorts().get(0).getPort().getIntVal()).isEqualTo(443);

    var off = new TrainerNetworkPolicySpec();
    off.setEnabled(false);
    var trainer = new TrainerSpec();
    trainer.setNetworkPolicy(off);
    created.getSpec().setTrainer(trainer);
    TrainerNetworkPolicy.sync(store, created);
    assertThat(policy("covid-trainer")).isNull();
    // deleting an absent policy is fine
    TrainerNetworkPolicy.sync(store, created);
  }
}
