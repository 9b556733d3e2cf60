package dev.almanac.api.v1alpha1.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/** Model server container settings. */
public class ServerSpec {
  @JsonPropertyDescription(
      "Model server image; defaults to the operator's configured server image.")
  private String image;

  @JsonPropertyDescription("Container resources.")
  private ResourceRequirements resources;

  @JsonPropertyDescription("Dynamic batching of concurrent requests.")
  private BatchingSpec batching;

  @Default("365")
  @Min(1)
  @Max(3650)
  @JsonPropertyDescription("Largest forecast horizon a request may ask for.")
  private Integer maxHorizon;

  @JsonPropertyDescription("HTTPS on the serving port from a TLS Secret; off by default.")
  private ServerTlsSpec tls;

  @JsonPropertyDescription(
      "The admin port with the repository routes (load, index), bearer-token protected; off by "
          + "default.")
  private AdminPortSpec admin;

  public String getImage() {
    return image;
  }

  public void setImage(String image) {
    this.image = image;
  }

  public ResourceRequirements getResources() {
    return resources;
  }

  public void setResources(ResourceRequirements resources) {
    this.resources = resources;
  }

  public BatchingSpec getBatching() {
    return batching;
  }

  public void setBatching(BatchingSpec batching) {
    this.batching = batching;
  }

  public Integer getMaxHorizon() {
    return maxHorizon;
  }

  public void setMaxHorizon(Integer maxHorizon) {
    this.maxHorizon = maxHorizon;
  }

  public ServerTlsSpec getTls() {
    return tls;
  }

  public void setTls(ServerTlsSpec tls) {
    this.tls = tls;
  }

  public AdminPortSpec getAdmin() {
    return admin;
  }

  public void setAdmin(AdminPortSpec admin) {
    this.admin = admin;
  }
}
