package dev.almanac.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server process of the test bed: started with its output captured to a log file, awaited on an
 * HTTP readiness URL, destroyed (with its child processes) on {@link #close()} or when the JVM
 * exits.
 */
public final class ManagedProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);
  private static final int LOG_TAIL_LINES = 40;

  private final String name;
  private final Process process;
  private final Path logFile;
  private final Thread shutdownHook;

  private ManagedProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.shutdownHook = new Thread(this::destroyTree, "testbed-stop-" + name);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts {@code command} with {@code env} added to this JVM's environment and waits until {@code
   * readiness} answers 2xx. On failure the process is destroyed and the exception carries the tail
   * of its log.
   */
  public static ManagedProcess start(
      String name,
      List<String> command,
      Map<String, String> env,
      Path logFile,
      URI readiness,
      Duration startupTimeout) {
    return start(name, command, env, logFile, httpReadiness(readiness), startupTimeout);
  }

  /**
   * One readiness probe: empty when ready, else what is still wrong (shown if the wait times out).
   */
  @FunctionalInterface
  public interface Readiness {
    Optional<String> problem() throws InterruptedException;

    /** Where the probe looks, for the log line. */
    default String target() {
      return "its readiness probe";
    }
  }

  /**
   * Starts {@code command} with {@code env} added to this JVM's environment and waits until {@code
   * readiness} reports no problem (for servers without an HTTP endpoint, e.g. PostgreSQL).
   */
  public static ManagedProcess start(
      String name,
      List<String> command,
      Map<String, String> env,
      Path logFile,
      Readiness readiness,
      Duration startupTimeout) {
    var builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
    builder.environment().putAll(env);
    Process process;
    try {
      Files.createDirectories(logFile.getParent());
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot start "
              + name
              + " ("
              + command.get(0)
              + "): "
              + e.getMessage()
              + "; install the test tools with: "
              + Tools.SETUP_COMMAND,
          e);
    }
    var managed = new ManagedProcess(name, process, logFile);
    try {
      managed.awaitReady(readiness, startupTimeout);
    } catch (RuntimeException e) {
      managed.close();
      throw e;
    }
    LOG.info("{} ready at {} (pid {}, log {})", name, readiness.target(), process.pid(), logFile);
    return managed;
  }

  /** A loopback port that was free a moment ago. */
  public static int freePort() {
    try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }

  private static Readiness httpReadiness(URI readiness) {
    var http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    var request = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(2)).GET().build();
    return new Readiness() {
      @Override
      public Optional<String> problem() throws InterruptedException {
        try {
          var response = http.send(request, HttpResponse.BodyHandlers.discarding());
          return response.statusCode() / 100 == 2
              ? Optional.empty()
              : Optional.of("HTTP " + response.statusCode());
        } catch (IOException e) {
          return Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }

      @Override
      public String target() {
        return readiness.toString();
      }
    };
  }

  private void awaitReady(Readiness readiness, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String lastProblem = "no answer yet";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name
                + " exited with code "
                + process.exitValue()
                + " before it was ready\n"
                + logTail());
      }
      try {
        var problem = readiness.problem();
        if (problem.isEmpty()) {
          return;
        }
        lastProblem = problem.get();
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
    }
    throw new IllegalStateException(
        name
            + " not ready at "
            + readiness.target()
            + " after "
            + timeout.toSeconds()
            + " s ("
            + lastProblem
            + ")\n"
            + logTail());
  }

  /** The last lines of the process log, for failure messages. */
  public String logTail() {
    try {
      var lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      var tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
      return "--- last "
          + tail.size()
          + " lines of "
          + logFile
          + " ---\n"
          + String.join("\n", tail);
    } catch (IOException | RuntimeException e) {
      return "(log " + logFile + " unreadable: " + e.getMessage() + ")";
    }
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Stops the process and its children and waits for them to exit. */
  @Override
  public void close() {
    destroyTree();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException alreadyShuttingDown) {
      // the hook is running or has run: nothing left to unregister
    }
  }

  private void destroyTree() {
    // gunicorn forks workers: stop the children too, or they keep the port open
    var children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      for (var child : children) {
        child.onExit().get(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Override
  public String toString() {
    return name + "(pid " + process.pid() + ")";
  }
}
