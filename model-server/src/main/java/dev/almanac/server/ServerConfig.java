package dev.almanac.server;

import io.soabase.recordbuilder.core.RecordBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Model server settings: command-line flags win over {@code ALMANAC_*} environment variables, which
 * win over the defaults.
 *
 * @param models model sources: bundle directories or {@code models:/name/version|@alias} URIs
 * @param maxBatchSize rows per inference batch; 1 turns dynamic batching off
 * @param maxDelayMillis how long a batch of several queued requests may wait for more (a lone
 *     request never waits); 0 by default: the wait parks an event loop, which only pays off for
 *     slow models
 * @param maxHorizon largest forecast horizon a request may ask for
 * @param maxBodyBytes larger request bodies get 413
 * @param cacheDir where models downloaded from the registry are kept
 * @param eventLoops HTTP event loops (server instances sharing the port); requests and model calls
 *     run on them
 * @param admin the admin port with the repository routes (load, index); off by default
 * @param tls HTTPS on the inference (and admin) port from PEM files; off by default
 */
@RecordBuilder
public record ServerConfig(
    List<String> models,
    int port,
    String bind,
    int maxBatchSize,
    double maxDelayMillis,
    int maxHorizon,
    long maxBodyBytes,
    Path cacheDir,
    long shutdownGraceMillis,
    int eventLoops,
    Admin admin,
    Tls tls)
    implements ServerConfigBuilder.With {

  /**
   * The admin port: the KServe repository routes, each request with {@code Authorization: Bearer
   * <token>}.
   *
   * @param port -1 for off, 0 for any free port
   * @param token the bearer token; required when the port is on
   */
  public record Admin(int port, String token) {
    public static final Admin OFF = new Admin(-1, null);

    public Admin {
      if (port < -1 || port > 65535) {
        throw new IllegalArgumentException("admin port must be 0..65535, got " + port);
      }
      if (port >= 0 && (token == null || token.isBlank())) {
        throw new IllegalArgumentException(
            "the admin port needs a bearer token: --admin-token-file, ALMANAC_ADMIN_TOKEN_FILE "
                + "or ALMANAC_ADMIN_TOKEN");
      }
      token = token == null ? null : token.strip();
    }

    public boolean enabled() {
      return port >= 0;
    }

    @Override
    public String toString() {
      return enabled() ? "Admin[port=" + port + ", token=<redacted>]" : "Admin[off]";
    }
  }

  /**
   * HTTPS from a PEM certificate (chain) and its private key, e.g. a {@code kubernetes.io/tls}
   * Secret mounted read-only. Both files are read at start.
   *
   * @param certFile PEM certificate chain, the server's first
   * @param keyFile PEM private key (PKCS#8 or PKCS#1)
   */
  public record Tls(Path certFile, Path keyFile) {
    public static final Tls OFF = new Tls(null, null);

    public Tls {
      if ((certFile == null) != (keyFile == null)) {
        throw new IllegalArgumentException(
            "TLS needs both a certificate and a key: --tls-cert-file and --tls-key-file "
                + "(ALMANAC_TLS_CERT_FILE, ALMANAC_TLS_KEY_FILE)");
      }
      for (Path file : certFile == null ? List.<Path>of() : List.of(certFile, keyFile)) {
        if (!Files.isReadable(file)) {
          throw new IllegalArgumentException(
              "TLS file " + file + " does not exist or is unreadable");
        }
      }
    }

    public boolean enabled() {
      return certFile != null;
    }
  }

  public static final String USAGE =
      """
      usage: java -jar almanac-model-server.jar --model <bundle dir | models:/name/version | models:/name@alias> [--model ...]
             [--port 8080] [--bind 0.0.0.0] [--max-batch-size 32] [--max-delay-millis 0] [--max-horizon 365]
             [--max-body-bytes 1048576] [--cache-dir DIR] [--event-loops <cores>]
             [--admin-port <port> --admin-token-file FILE]   (admin port off by default)
             [--tls-cert-file PEM --tls-key-file PEM]        (HTTPS; off by default)
      environment (flags win): ALMANAC_MODELS (comma-separated), ALMANAC_PORT, ALMANAC_BIND, ALMANAC_MAX_BATCH_SIZE,
             ALMANAC_MAX_DELAY_MILLIS, ALMANAC_MAX_HORIZON, ALMANAC_MAX_BODY_BYTES, ALMANAC_CACHE_DIR, ALMANAC_EVENT_LOOPS,
             ALMANAC_ADMIN_PORT, ALMANAC_ADMIN_TOKEN_FILE, ALMANAC_ADMIN_TOKEN (the token itself),
             ALMANAC_TLS_CERT_FILE, ALMANAC_TLS_KEY_FILE""";

  public ServerConfig {
    models = List.copyOf(models);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("max batch size must be >= 1, got " + maxBatchSize);
    }
    if (maxDelayMillis < 0) {
      throw new IllegalArgumentException("max delay must be >= 0 ms, got " + maxDelayMillis);
    }
    if (maxHorizon < 1) {
      throw new IllegalArgumentException("max horizon must be >= 1, got " + maxHorizon);
    }
    if (eventLoops < 1) {
      throw new IllegalArgumentException("event loops must be >= 1, got " + eventLoops);
    }
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("max body bytes must be >= 1024, got " + maxBodyBytes);
    }
    if (admin == null) {
      admin = Admin.OFF;
    }
    if (tls == null) {
      tls = Tls.OFF;
    }
  }

  public static ServerConfig defaults() {
    return new ServerConfig(
        List.of(),
        8080,
        "0.0.0.0",
        32,
        0,
        365,
        1 << 20,
        Path.of(System.getProperty("java.io.tmpdir"), "almanac-models"),
        10_000,
        Runtime.getRuntime().availableProcessors(),
        Admin.OFF,
        Tls.OFF);
  }

  public ServerConfig withBatching(int size, double delayMillis) {
    return with(b -> b.maxBatchSize(size).maxDelayMillis(delayMillis));
  }

  public ServerConfig withLimits(int horizon, long bodyBytes) {
    return with(b -> b.maxHorizon(horizon).maxBodyBytes(bodyBytes));
  }

  /**
   * Parses flags over environment variables; unknown flags and bad numbers fail naming the flag.
   */
  public static ServerConfig parse(String[] args, Map<String, String> env) {
    ServerConfig c = defaults();
    List<String> models = new ArrayList<>();
    String envModels = env.get("ALMANAC_MODELS");
    if (envModels != null) {
      for (String m : envModels.split(",")) {
        if (!m.isBlank()) {
          models.add(m.strip());
        }
      }
    }
    c =
        c.withPort(integer(env, "ALMANAC_PORT", c.port()))
            .withBind(env.getOrDefault("ALMANAC_BIND", c.bind()))
            .withBatching(
                integer(env, "ALMANAC_MAX_BATCH_SIZE", c.maxBatchSize()),
                decimal(env, "ALMANAC_MAX_DELAY_MILLIS", c.maxDelayMillis()))
            .withLimits(
                integer(env, "ALMANAC_MAX_HORIZON", c.maxHorizon()),
                (long) decimal(env, "ALMANAC_MAX_BODY_BYTES", c.maxBodyBytes()));
    c = c.withEventLoops(integer(env, "ALMANAC_EVENT_LOOPS", c.eventLoops()));
    if (env.get("ALMANAC_CACHE_DIR") != null) {
      c = c.withCacheDir(Path.of(env.get("ALMANAC_CACHE_DIR")));
    }
    int adminPort = integer(env, "ALMANAC_ADMIN_PORT", -1);
    String tokenFile = env.get("ALMANAC_ADMIN_TOKEN_FILE");
    String token = env.get("ALMANAC_ADMIN_TOKEN");
    String certFile = env.get("ALMANAC_TLS_CERT_FILE");
    String keyFile = env.get("ALMANAC_TLS_KEY_FILE");
    List<String> flagModels = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      String value = null;
      int eq = flag.indexOf('=');
      if (flag.startsWith("--") && eq > 0) {
        value = flag.substring(eq + 1);
        flag = flag.substring(0, eq);
      } else if (flag.startsWith("--")) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("flag " + flag + " needs a value");
        }
        value = args[++i];
      } else {
        throw new IllegalArgumentException("unexpected argument '" + flag + "'");
      }
      switch (flag) {
        case "--model" -> flagModels.add(value);
        case "--port" -> c = c.withPort(parseInt(flag, value));
        case "--bind" -> c = c.withBind(value);
        case "--max-batch-size" -> c = c.withBatching(parseInt(flag, value), c.maxDelayMillis());
        case "--max-delay-millis" -> c = c.withBatching(c.maxBatchSize(), parseDouble(flag, value));
        case "--max-horizon" -> c = c.withLimits(parseInt(flag, value), c.maxBodyBytes());
        case "--max-body-bytes" ->
            c = c.withLimits(c.maxHorizon(), (long) parseDouble(flag, value));
        case "--cache-dir" -> c = c.withCacheDir(Path.of(value));
        case "--event-loops" -> c = c.withEventLoops(parseInt(flag, value));
        case "--admin-port" -> adminPort = parseInt(flag, value);
        case "--admin-token-file" -> tokenFile = value;
        case "--tls-cert-file" -> certFile = value;
        case "--tls-key-file" -> keyFile = value;
        default -> throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    if (tokenFile != null && !tokenFile.isBlank()) {
      token = readToken(Path.of(tokenFile));
    }
    return c.withModels(flagModels.isEmpty() ? models : flagModels)
        .withAdmin(adminPort < 0 ? Admin.OFF : new Admin(adminPort, token))
        .withTls(new Tls(path(certFile), path(keyFile)));
  }

  private static Path path(String file) {
    return file == null || file.isBlank() ? null : Path.of(file.strip());
  }

  private static String readToken(Path file) {
    try {
      String token = Files.readString(file).strip();
      if (token.isEmpty()) {
        throw new IllegalArgumentException("admin token file " + file + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the admin token file " + file + ": " + e);
    }
  }

  private static int integer(Map<String, String> env, String key, int dflt) {
    String v = env.get(key);
    return v == null || v.isBlank() ? dflt : parseInt(key, v);
  }

  private static double decimal(Map<String, String> env, String key, double dflt) {
    String v = env.get(key);
    return v == null || v.isBlank() ? dflt : parseDouble(key, v);
  }

  private static int parseInt(String what, String v) {
    try {
      return Integer.parseInt(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": '" + v + "' is not an integer");
    }
  }

  private static double parseDouble(String what, String v) {
    try {
      return Double.parseDouble(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": '" + v + "' is not a number");
    }
  }
}
