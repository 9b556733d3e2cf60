package dev.almanac.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server (Debian's {@code postgresql} package) on a free loopback port: a fresh
 * cluster made by {@code initdb} in a temp dir, password authentication (SCRAM) for one superuser,
 * and the {@code postgres} server process stopped when closed or when the JVM exits. PostgreSQL
 * refuses to run as root, so as root both run as the {@code postgres} system user (via {@code
 * runuser}), which owns the temp dir.
 */
public final class PostgresServer extends ServerProcess {
  public static final String USER = "almanac";
  public static final String DATABASE = "postgres";
  private static final String SYSTEM_USER = "postgres";

  private final int port;
  private final String password;

  private PostgresServer(int port, String password, ManagedProcess process, Path stateDir) {
    super(process, stateDir);
    this.port = port;
    this.password = password;
  }

  /**
   * Creates the cluster, starts the server and waits until it accepts connections ({@code
   * pg_isready}).
   */
  public static PostgresServer start() {
    var initdb = Tools.postgresBin("initdb");
    var postgres = Tools.postgresBin("postgres");
    var isReady = Tools.postgresBin("pg_isready");
    var stateDir = TestBedDirs.newStateDir("postgres");
    try {
      var password = UUID.randomUUID().toString();
      var data = stateDir.resolve("data");
      Files.writeString(stateDir.resolve("pwfile"), password + "\n", StandardCharsets.UTF_8);
      boolean root = "root".equals(System.getProperty("user.name"));
      if (root) {
        chownTree(stateDir, SYSTEM_USER);
      }
      var log = TestBedDirs.logDir().resolve("postgres-initdb.log");
      run(
          asServerUser(
              root,
              List.of(
                  initdb.toString(),
                  "-D",
                  data.toString(),
                  "-U",
                  USER,
                  "--auth=scram-sha-256",
                  "--pwfile=" + stateDir.resolve("pwfile"),
                  "--encoding=UTF8",
                  "--locale=C",
                  "--no-sync")),
          log);
      int port = ManagedProcess.freePort();
      var command =
          asServerUser(
              root,
              List.of(
                  postgres.toString(),
                  "-D",
                  data.toString(),
                  "-p",
                  Integer.toString(port),
                  "-c",
                  "listen_addresses=127.0.0.1",
                  "-c",
                  "unix_socket_directories=" + stateDir,
                  "-c",
                  "max_connections=50"));
      var serverLog = TestBedDirs.logDir().resolve("postgres-" + port + ".log");
      ManagedProcess.Readiness ready =
          new ManagedProcess.Readiness() {
            @Override
            public Optional<String> problem() throws InterruptedException {
              return probe(
                  List.of(
                      isReady.toString(),
                      "-h",
                      "127.0.0.1",
                      "-p",
                      Integer.toString(port),
                      "-U",
                      USER,
                      "-d",
                      DATABASE));
            }

            @Override
            public String target() {
              return "127.0.0.1:" + port;
            }
          };
      var process =
          ManagedProcess.start(
              "postgres", command, Map.of(), serverLog, ready, Duration.ofSeconds(60));
      return new PostgresServer(port, password, process, stateDir);
    } catch (IOException e) {
      TestBedDirs.deleteQuietly(stateDir);
      throw new UncheckedIOException("cannot prepare the PostgreSQL cluster in " + stateDir, e);
    } catch (RuntimeException e) {
      TestBedDirs.deleteQuietly(stateDir);
      throw e;
    }
  }

  private static List<String> asServerUser(boolean root, List<String> command) {
    if (!root) {
      return command;
    }
    var wrapped = new ArrayList<>(List.of("runuser", "-u", SYSTEM_USER, "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static void chownTree(Path dir, String user) throws IOException {
    UserPrincipal owner =
        dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
    try (Stream<Path> paths = Files.walk(dir)) {
      for (var p : paths.sorted(Comparator.naturalOrder()).toList()) {
        Files.setOwner(p, owner);
      }
    }
  }

  private static void run(List<String> command, Path log) {
    try {
      Files.createDirectories(log.getParent());
      var process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " did not finish in 120 s; see " + log);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " failed with exit code "
                + process.exitValue()
                + ":\n"
                + Files.readString(log));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  private static Optional<String> probe(List<String> command) throws InterruptedException {
    try {
      var process = new ProcessBuilder(command).redirectErrorStream(true).start();
      var output =
          new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return process.waitFor() == 0 ? Optional.empty() : Optional.of(output);
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** {@code jdbc:postgresql://127.0.0.1:<port>/postgres}. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  public int port() {
    return port;
  }

  public String user() {
    return USER;
  }

  public String password() {
    return password;
  }

  @Override
  public String toString() {
    return "PostgresServer[" + jdbcUrl() + "]";
  }
}
