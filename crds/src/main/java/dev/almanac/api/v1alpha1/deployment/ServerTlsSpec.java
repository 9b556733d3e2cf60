package dev.almanac.api.v1alpha1.deployment;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** HTTPS on the model server's port from a {@code kubernetes.io/tls} Secret. */
public class ServerTlsSpec {
  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription(
      "Secret in the same namespace with tls.crt (PEM certificate chain, the server's first) and "
          + "tls.key (PEM private key), e.g. made by cert-manager; mounted read-only. Probes and "
          + "the ServiceMonitor switch to HTTPS.")
  private String secretName;

  public ServerTlsSpec() {}

  public ServerTlsSpec(String secretName) {
    this.secretName = secretName;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }
}
