package dev.almanac.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @Test
  void defaultsBatchAndBindEverywhere() {
    ServerConfig c = ServerConfig.parse(new String[0], Map.of());
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.bind()).isEqualTo("0.0.0.0");
    assertThat(c.maxBatchSize()).isGreaterThan(1);
    assertThat(c.maxDelayMillis()).isZero();
    assertThat(c.models()).isEmpty();
    assertThat(c.admin().enabled()).isFalse();
  }

  @Test
  void theAdminPortIsOffByDefaultAndNeedsAToken(@TempDir Path tmp) throws Exception {
    Path tokenFile = Files.writeString(tmp.resolve("token"), "s3cret\n");
    ServerConfig f =
        ServerConfig.parse(
            new String[] {"--admin-port", "9001", "--admin-token-file", tokenFile.toString()},
            Map.of());
    assertThat(f.admin()).isEqualTo(new ServerConfig.Admin(9001, "s3cret"));
    assertThat(f.admin().toString()).doesNotContain("s3cret");
    ServerConfig e =
        ServerConfig.parse(
            new String[0], Map.of("ALMANAC_ADMIN_PORT", "9002", "ALMANAC_ADMIN_TOKEN", "t0k"));
    assertThat(e.admin()).isEqualTo(new ServerConfig.Admin(9002, "t0k"));
    ServerConfig file =
        ServerConfig.parse(
            new String[0],
            Map.of("ALMANAC_ADMIN_PORT", "9002", "ALMANAC_ADMIN_TOKEN_FILE", tokenFile.toString()));
    assertThat(file.admin().token()).isEqualTo("s3cret");
    // a token alone does not open the port
    assertThat(
            ServerConfig.parse(new String[0], Map.of("ALMANAC_ADMIN_TOKEN", "t0k"))
                .admin()
                .enabled())
        .isFalse();
    assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--admin-port", "9001"}, Map.of()))
        .hasMessageContaining("needs a bearer token")
        .hasMessageContaining("--admin-token-file");
    assertThatThrownBy(
            () ->
                ServerConfig.parse(
                    new String[] {
                      "--admin-port", "9001", "--admin-token-file", tmp.resolve("none").toString()
                    },
                    Map.of()))
        .hasMessageContaining("cannot read the admin token file");
    Files.writeString(tokenFile, "  \n");
    assertThatThrownBy(
            () ->
                ServerConfig.parse(
                    new String[] {
                      "--admin-port", "9001", "--admin-token-file", tokenFile.toString()
                    },
                    Map.of()))
        .hasMessageContaining("is empty");
  }

  @Test
  void environmentIsReadAndFlagsWin() {
    Map<String, String> env =
        Map.of(
            "ALMANAC_MODELS",
            "models:/a/1, /b ,",
            "ALMANAC_PORT",
            "9000",
            "ALMANAC_BIND",
            "127.0.0.1",
            "ALMANAC_MAX_BATCH_SIZE",
            "8",
            "ALMANAC_MAX_DELAY_MILLIS",
            "0.5",
            "ALMANAC_MAX_HORIZON",
            "60",
            "ALMANAC_MAX_BODY_BYTES",
            "4096",
            "ALMANAC_CACHE_DIR",
            "/var/cache/m");
    ServerConfig e = ServerConfig.parse(new String[0], env);
    assertThat(e.models()).containsExactly("models:/a/1", "/b");
    assertThat(e)
        .extracting(
            ServerConfig::port,
            ServerConfig::bind,
            ServerConfig::maxBatchSize,
            ServerConfig::maxDelayMillis,
            ServerConfig::maxHorizon,
            ServerConfig::maxBodyBytes,
            ServerConfig::cacheDir)
        .containsExactly(9000, "127.0.0.1", 8, 0.5, 60, 4096L, Path.of("/var/cache/m"));
    ServerConfig f =
        ServerConfig.parse(
            new String[] {
              "--model",
              "/x",
              "--model=models:/y@production",
              "--port",
              "0",
              "--max-batch-size=1",
              "--max-horizon",
              "30"
            },
            env);
    assertThat(f.models()).isEqualTo(List.of("/x", "models:/y@production"));
    assertThat(f.port()).isZero();
    assertThat(f.maxBatchSize()).isEqualTo(1);
    assertThat(f.maxHorizon()).isEqualTo(30);
    assertThat(f.bind()).isEqualTo("127.0.0.1");
    assertThat(ServerConfig.parse(new String[0], Map.of("ALMANAC_EVENT_LOOPS", "3")).eventLoops())
        .isEqualTo(3);
    assertThat(
            ServerConfig.parse(
                    new String[] {"--event-loops", "1"}, Map.of("ALMANAC_EVENT_LOOPS", "3"))
                .eventLoops())
        .isEqualTo(1);
    assertThat(ServerConfig.parse(new String[0], Map.of()).eventLoops())
        .isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void badValuesNameTheFlag() {
    assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--port", "eighty"}, Map.of()))
        .hasMessageContaining("--port");
    assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--nope", "1"}, Map.of()))
        .hasMessageContaining("unknown flag --nope");
    assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--model"}, Map.of()))
        .hasMessageContaining("needs a value");
    assertThatThrownBy(
            () -> ServerConfig.parse(new String[0], Map.of("ALMANAC_MAX_BATCH_SIZE", "0")))
        .hasMessageContaining("max batch size");
    assertThatThrownBy(() -> ServerConfig.parse(new String[0], Map.of("ALMANAC_PORT", "x")))
        .hasMessageContaining("ALMANAC_PORT");
    assertThatThrownBy(() -> ServerConfig.parse(new String[] {"--event-loops", "0"}, Map.of()))
        .hasMessageContaining("event loops");
  }
}
