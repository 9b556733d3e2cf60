/** The management HTTP server: liveness, readiness and the Prometheus metrics endpoint. */
package dev.almanac.operator.http;
