package dev.almanac.server.model;

/**
 * Dynamic batching limits: rows per batch (1 = off) and the longest wait of a batch's first
 * request.
 */
public record BatchSettings(int maxBatchSize, long maxDelayNanos) {
  public static BatchSettings ofMillis(int maxBatchSize, double maxDelayMillis) {
    return new BatchSettings(maxBatchSize, (long) (maxDelayMillis * 1_000_000));
  }
}
