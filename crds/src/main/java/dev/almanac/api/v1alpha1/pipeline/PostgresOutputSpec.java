package dev.almanac.api.v1alpha1.pipeline;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.almanac.api.v1alpha1.common.SecretRef;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A PostgreSQL table that batch forecasts are upserted into (one transaction per batch). */
public class PostgresOutputSpec {
  @Required
  @Pattern("^jdbc:postgresql://[^?]+$")
  @JsonPropertyDescription(
      "JDBC URL of the database, e.g. jdbc:postgresql://forecasts-db:5432/forecasts (no query: credentials come from the Secret).")
  private String jdbcUrl;

  @Default("almanac_predictions")
  @Pattern("^([a-z_][a-z0-9_]{0,62}\\.)?[a-z_][a-z0-9_]{0,62}$")
  @JsonPropertyDescription(
      "Table (optionally schema.table); created and migrated by the batch Job.")
  private String table;

  @Required
  @JsonPropertyDescription("Secret with the keys username and password.")
  private SecretRef credentialsSecretRef;

  public String getJdbcUrl() {
    return jdbcUrl;
  }

  public void setJdbcUrl(String jdbcUrl) {
    this.jdbcUrl = jdbcUrl;
  }

  public String getTable() {
    return table;
  }

  public void setTable(String table) {
    this.table = table;
  }

  public SecretRef getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  public void setCredentialsSecretRef(SecretRef credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }
}
