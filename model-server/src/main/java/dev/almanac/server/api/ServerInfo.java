package dev.almanac.server.api;

/** Identity reported by {@code GET /v2} and the OpenAPI document. */
final class ServerInfo {
  static final String VERSION = "0.1.0";

  private ServerInfo() {}
}
