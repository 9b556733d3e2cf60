/**
 * core/v1 Events with reasons from {@link dev.almanac.api.v1alpha1.common.Reason} only,
 * deduplicated by name; a failure to write one is logged, never fatal.
 */
package dev.almanac.operator.events;
