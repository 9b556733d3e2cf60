package dev.almanac.server.monitoring;

/** Where a batch of JSON lines goes. Called only from the payload log's writer thread. */
@FunctionalInterface
public interface PayloadSink {
  /**
   * Writes one object.
   *
   * @param name the object's name below the configured prefix ({@code 2026/12/07/<id>.jsonl})
   * @param jsonLines newline-terminated JSON lines, UTF-8
   */
  void write(String name, byte[] jsonLines) throws Exception;
}
