package dev.almanac.operator.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.almanac.api.v1alpha1.common.ArtifactsSpec;
import dev.almanac.api.v1alpha1.common.S3ArtifactStore;
import dev.almanac.api.v1alpha1.pipeline.ForecastPipelineSpec;
import dev.almanac.api.v1alpha1.pipeline.TrainerNetworkPolicySpec;
import dev.almanac.api.v1alpha1.pipeline.TrainerSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRuleBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The trainer NetworkPolicy from a pipeline's URIs, without a server. */
class TrainerNetworkPolicyTest {
  static Consumer<ForecastPipelineSpec> s3(String endpoint) {
    return spec -> {
      var s3 = new S3ArtifactStore();
      s3.setEndpoint(endpoint);
      var artifacts = new ArtifactsSpec();
      artifacts.setS3(s3);
      spec.setArtifacts(artifacts);
    };
  }

  static List<Integer> ports(NetworkPolicyEgressRule r) {
    return r.getPorts().stream().map(p -> p.getPort().getIntVal()).toList();
  }

  @Test
  void egressGoesToDnsMlflowAndS3OnlyAndNothingComesIn() {
    var fp =
        Passes.pipeline(
            s3("http://minio.storage.svc.cluster.local:9000")
                .andThen(s -> s.getMlflow().setTrackingUri("http://mlflow:5000")));
    var policy = TrainerNetworkPolicy.desired(fp);
    assertThat(policy.getMetadata().getName()).isEqualTo("fp-trainer");
    assertThat(policy.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("uid-fp");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .containsEntry("almanac.dev/pipeline", "fp")
        .containsEntry("app.kubernetes.io/component", "trainer");
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
    var egress = policy.getSpec().getEgress();
    assertThat(egress).hasSize(3);
    assertThat(egress.get(0).getPorts())
        .extracting(p -> p.getPort().getIntVal() + "/" + p.getProtocol())
        .containsExactly("53/UDP", "53/TCP");
    // MLflow: a Service of the pipeline's namespace
    assertThat(ports(egress.get(1))).containsExactly(5000);
    assertThat(egress.get(1).getTo())
        .extracting(NetworkPolicyPeer::getNamespaceSelector)
        .extracting(s -> s.getMatchLabels())
        .containsExactly(Map.of("kubernetes.io/metadata.name", "ns"));
    // S3: a Service of another namespace
    assertThat(ports(egress.get(2))).containsExactly(9000);
    assertThat(egress.get(2).getTo().get(0).getNamespaceSelector().getMatchLabels())
        .containsEntry("kubernetes.io/metadata.name", "storage");
  }

  @Test
  void ipLiteralsBecomeIpBlocksAndOtherHostsTheirPortOnly() {
    var fp =
        Passes.pipeline(
            s3(null).andThen(s -> s.getMlflow().setTrackingUri("https://10.1.2.3:8443/")));
    fp.getSpec().getData().getSource().setUrl("https://data.example.org/covid.csv");
    var egress = TrainerNetworkPolicy.desired(fp).getSpec().getEgress();
    assertThat(egress).hasSize(4);
    assertThat(ports(egress.get(1))).containsExactly(8443);
    assertThat(egress.get(1).getTo().get(0).getIpBlock().getCidr()).isEqualTo("10.1.2.3/32");
    // AWS S3 (no endpoint) and an external data URL: 443 to any address
    assertThat(ports(egress.get(2))).containsExactly(443);
    assertThat(egress.get(2).getTo()).isNullOrEmpty();
    assertThat(ports(egress.get(3))).containsExactly(443);
    assertThat(egress.get(3).getTo()).isNullOrEmpty();
  }

  @Test
  void extraEgressIsAddedAndDisablingDeletes() {
    var extra =
        new NetworkPolicyEgressRuleBuilder()
            .addNewPort()
            .withPort(new IntOrString(3128))
            .withProtocol("TCP")
            .endPort()
            .build();
    var policySpec = new TrainerNetworkPolicySpec();
    policySpec.setExtraEgress(List.of(extra));
    var trainer = new TrainerSpec();
    trainer.setNetworkPolicy(policySpec);
    var fp = Passes.pipeline(s -> s.setTrainer(trainer));
    assertThat(TrainerNetworkPolicy.desired(fp).getSpec().getEgress()).endsWith(extra);
    var store = new Passes.RecordingStore();
    TrainerNetworkPolicy.sync(store, fp);
    policySpec.setEnabled(false);
    TrainerNetworkPolicy.sync(store, fp);
    assertThat(store.log).containsExactly("apply fp-trainer", "delete fp-trainer");
  }

  @Test
  void endpointsDefaultTheirPortFromTheScheme() {
    assertThat(TrainerNetworkPolicy.endpoint("http://mlflow.example.org"))
        .contains(new TrainerNetworkPolicy.Endpoint("mlflow.example.org", 80));
    assertThat(TrainerNetworkPolicy.endpoint("https://MLflow.Example.org/path"))
        .contains(new TrainerNetworkPolicy.Endpoint("mlflow.example.org", 443));
    assertThat(TrainerNetworkPolicy.endpoint("/data/covid.csv")).isEmpty();
    assertThat(TrainerNetworkPolicy.peer("[fd00::1]", "ns").orElseThrow().getIpBlock().getCidr())
        .isEqualTo("fd00:0:0:0:0:0:0:1/128");
  }
}
