package dev.almanac.testbed;

import java.nio.file.Path;

/**
 * A test-bed server running as a child process, with the state directory it owns (or none): what
 * every such server answers about its process, and its one way to stop.
 */
abstract class ServerProcess implements AutoCloseable {
  private final ManagedProcess process;
  private final Path stateDir;

  /** {@code stateDir}: deleted on close; {@code null} when the server keeps no state on disk. */
  ServerProcess(ManagedProcess process, Path stateDir) {
    this.process = process;
    this.stateDir = stateDir;
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  public String logTail() {
    return process.logTail();
  }

  @Override
  public void close() {
    process.close();
    if (stateDir != null) {
      TestBedDirs.deleteQuietly(stateDir);
    }
  }
}
