/**
 * The operator's Micrometer meters (names listed in docs/metrics.md), and the forgetting of a
 * deleted resource's meters.
 */
package dev.almanac.operator.metrics;
