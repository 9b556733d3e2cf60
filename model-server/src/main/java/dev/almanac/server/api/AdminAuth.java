package dev.almanac.server.api;

import dev.almanac.server.metrics.ServerMetrics;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin port's gate: every request needs {@code Authorization: Bearer <token>}. A missing or
 * wrong token gets 401 (with {@code WWW-Authenticate}) before the body is read, and is counted in
 * {@code almanac_server_admin_unauthorized_total}.
 */
final class AdminAuth implements Handler<RoutingContext> {
  private static final String BEARER = "Bearer ";
  private final byte[] token;
  private final ServerMetrics metrics;

  AdminAuth(String token, ServerMetrics metrics) {
    this.token = token.getBytes(StandardCharsets.UTF_8);
    this.metrics = metrics;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      metrics.adminUnauthorized(true);
      refuse(ctx, "the admin port needs Authorization: Bearer <token>");
      return;
    }
    // constant time: the comparison does not tell how much of a guess was right
    byte[] given = header.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token)) {
      metrics.adminUnauthorized(false);
      refuse(ctx, "invalid bearer token");
      return;
    }
    ctx.next();
  }

  private static void refuse(RoutingContext ctx, String message) {
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"almanac-admin\"");
    Replies.error(ctx, 401, message);
  }
}
