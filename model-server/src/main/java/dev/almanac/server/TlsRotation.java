package dev.almanac.server;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.SSLOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks up a rotated certificate without a restart: the kubelet swaps a mounted Secret's files in
 * place (cert-manager renews before expiry), so the files are hashed now and then and, once a
 * change has held still for one check (never a half-written pair: a key that does not match its
 * certificate would fail every handshake), every server gets them for new connections (open ones
 * keep theirs).
 */
final class TlsRotation {
  private static final Logger LOG = LoggerFactory.getLogger(TlsRotation.class);
  private final ServerConfig.Tls tls;
  private byte[] current;
  private byte[] seen;

  TlsRotation(ServerConfig.Tls tls) {
    this.tls = tls;
    this.current = digest();
    this.seen = current;
  }

  static PemKeyCertOptions keyCert(ServerConfig.Tls tls) {
    return new PemKeyCertOptions()
        .setCertPath(tls.certFile().toString())
        .setKeyPath(tls.keyFile().toString());
  }

  /** Blocking (reads the files): call from a worker. True when the servers were given new files. */
  boolean check(List<HttpServer> servers) {
    byte[] now = digest();
    byte[] before = seen;
    seen = now;
    if (now == null || Arrays.equals(now, current) || !Arrays.equals(now, before)) {
      return false; // unchanged, unreadable, or changed since the last check: look again
    }
    SSLOptions options = new SSLOptions().setKeyCertOptions(keyCert(tls));
    try {
      // One call per port: the instances sharing a port delegate to one server, and each call
      // rebuilds its context (Vert.x 4.5 drops a connection that arrives during the rebuild, a
      // few ms). force: the paths are unchanged, only their contents are new.
      Collection<HttpServer> perPort =
          servers.stream()
              .collect(Collectors.toMap(HttpServer::actualPort, s -> s, (a, b) -> a))
              .values();
      Future.all(perPort.stream().map(s -> s.updateSSLOptions(options, true)).toList())
          .toCompletionStage()
          .toCompletableFuture()
          .get();
      current = now;
      LOG.info("TLS certificate {} changed: new connections get it", tls.certFile());
      return true;
    } catch (Exception e) {
      // a half-written pair: keep serving the old one and try again at the next check
      LOG.warn(
          "TLS certificate {} changed but does not load yet: {}", tls.certFile(), e.toString());
      return false;
    }
  }

  /** SHA-256 of certificate and key; null when one cannot be read (mid-swap). */
  private byte[] digest() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(Files.readAllBytes(tls.certFile()));
      sha.update(Files.readAllBytes(tls.keyFile()));
      return sha.digest();
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
