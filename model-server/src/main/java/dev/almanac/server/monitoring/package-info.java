/**
 * Watching what a served model receives: sampled request/response logging to S3 ({@link
 * dev.almanac.server.monitoring.PayloadLog}) and input drift of a classifier against the symptom
 * frequencies of its training data ({@link dev.almanac.server.monitoring.InputDriftMonitor}).
 */
package dev.almanac.server.monitoring;
